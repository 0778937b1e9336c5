package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

/** Like CountingSink, but overrides receive(byte[]) so the binding copies each message into its own array. */
public class RawCountingSink extends GatewayModule {
    public static volatile long messages;

    public RawCountingSink(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    @Override
    public void receive(byte[] serializedMessage) {
        receive(new Message(serializedMessage));
    }

    @Override
    public void receive(Message message) {
        messages++;
    }

    @Override
    public void destroy() {
    }
}
