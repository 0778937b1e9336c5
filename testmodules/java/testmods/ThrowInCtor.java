package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

public class ThrowInCtor extends GatewayModule {
    public ThrowInCtor(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        throw new IllegalStateException("boom in constructor", new java.io.IOException("the cause"));
    }

    @Override
    public void receive(Message message) {
    }

    @Override
    public void destroy() {
    }
}
