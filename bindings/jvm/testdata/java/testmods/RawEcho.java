package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.IGatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Implements IGatewayModule directly (no-argument constructor, then create). For each serialized message it
 * publishes two: one whose content is the exact bytes it received (property kind=raw), and the message parsed
 * and re-serialized by Message (kind=reparsed, whose bytes must equal the input minus nothing).
 */
public class RawEcho implements IGatewayModule {
    private long address;
    private Broker broker;

    public RawEcho() {
    }

    @Override
    public void create(long moduleAddr, Broker broker, String configuration) {
        this.address = moduleAddr;
        this.broker = broker;
    }

    @Override
    public void start() {
    }

    @Override
    public void receive(byte[] serializedMessage) {
        try {
            Map<String, String> p = new LinkedHashMap<String, String>();
            p.put("kind", "raw");
            broker.publishMessage(new Message(serializedMessage, p), address);
            p.put("kind", "reparsed");
            byte[] again = new Message(serializedMessage).toByteArray();
            broker.publishMessage(new Message(again, p), address);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void destroy() {
    }
}
