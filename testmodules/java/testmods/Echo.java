package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;

/** Republishes every message it receives (content and properties), parsed and re-serialized by the binding. */
public class Echo extends GatewayModule {
    public Echo(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    @Override
    public void receive(Message message) {
        try {
            int rc = publish(new Message(message.getContent(), message.getProperties()));
            if (rc != 0) {
                throw new IllegalStateException("publish returned " + rc);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void destroy() {
    }
}
