package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Echoes messages, but throws on a message whose content is "bad" and in start and destroy. */
public class ThrowInReceive extends GatewayModule {
    public ThrowInReceive(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("boom in start");
    }

    @Override
    public void receive(Message message) {
        if ("bad".equals(new String(message.getContent(), StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("boom in receive");
        }
        try {
            publish(message);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void destroy() {
        throw new IllegalStateException("boom in destroy");
    }
}
