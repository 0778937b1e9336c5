package e2emods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;

/**
 * Republishes every message except the one whose "seq" property equals args "throw_at": for that one receive
 * throws. start() and destroy() throw too.
 */
public class ThrowInReceive extends GatewayModule {
    private final String throwAt;

    public ThrowInReceive(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        throwAt = Long.toString(Util.num(configuration, "throw_at", -1));
    }

    @Override
    public void start() {
        throw new UnsupportedOperationException("boom in start");
    }

    @Override
    public void receive(Message message) {
        if (throwAt.equals(message.getProperties().get("seq"))) {
            throw new IllegalArgumentException("boom in receive at seq " + throwAt);
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
