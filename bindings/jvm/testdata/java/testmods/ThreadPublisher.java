package testmods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At start, launches {"threads": T} Java threads that each publish {"count": N} messages
 * ("<thread>:<i>") and then one message whose content is "done". Counts failed publishes in property "failed"
 * of the done message.
 */
public class ThreadPublisher extends GatewayModule {
    private final int threads;
    private final int count;
    private Thread[] workers;

    public ThreadPublisher(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        this.threads = (int) num(configuration, "threads", 2);
        this.count = (int) num(configuration, "count", 100);
    }

    static long num(String json, String key, long d) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\"\\s*:\\s*(\\d+)").matcher(json == null ? "" : json);
        return m.find() ? Long.parseLong(m.group(1)) : d;
    }

    @Override
    public void start() {
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger left = new AtomicInteger(threads);
        workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int id = t;
            workers[t] = new Thread(new Runnable() {
                public void run() {
                    for (int i = 0; i < count; i++) {
                        Map<String, String> p = new LinkedHashMap<String, String>();
                        p.put("thread", Integer.toString(id));
                        try {
                            if (publish(new Message((id + ":" + i).getBytes(StandardCharsets.UTF_8), p)) != 0) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                    if (left.decrementAndGet() == 0) {
                        Map<String, String> p = new LinkedHashMap<String, String>();
                        p.put("failed", Integer.toString(failed.get()));
                        try {
                            publish(new Message("done".getBytes(StandardCharsets.UTF_8), p));
                        } catch (Exception e) {
                            e.printStackTrace();
                        }
                    }
                }
            }, "publisher-" + t);
            workers[t].start();
        }
    }

    @Override
    public void receive(Message message) {
    }

    @Override
    public void destroy() {
        for (Thread t : workers == null ? new Thread[0] : workers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
