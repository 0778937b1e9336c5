package e2emods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Publishes one message from start(): binary content and a fixed set of properties (see the e2e test). */
public class Announcer extends GatewayModule {
    static final byte[] CONTENT = {'j', 'a', 'v', 'a', 0, (byte) 0xff, (byte) 0x80, '\n', 'e', 'n', 'd'};

    public Announcer(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
    }

    @Override
    public void start() {
        Map<String, String> p = new LinkedHashMap<String, String>();
        p.put("source", "java-announcer");
        p.put("thread", Thread.currentThread().getName());
        p.put("unicode", "gr\u00fc\u00dfe \u2713");
        p.put("quote", "a \"quoted\" \\ value");
        p.put("config", String.valueOf(getConfiguration()));
        try {
            int rc = publish(new Message(CONTENT, p));
            if (rc != 0) {
                throw new IllegalStateException("publish returned " + rc);
            }
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Override
    public void receive(Message message) {
    }

    @Override
    public void destroy() {
    }
}
