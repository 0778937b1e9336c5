package e2emods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes test-pattern messages (properties seq and stream, content = the pattern of seq, like the native
 * publisher) from start() on the module thread (stream "start", start_count messages) and then from a thread
 * of its own (stream "thread", thread_count messages, 0 = until destroy; pause_ms between messages).
 * Args: {"start_count", "thread_count", "size", "pause_ms", "report"}. The report, written when the thread is
 * done and in destroy (final true): {"start_ok", "start_failed", "thread_ok", "thread_failed", "start_thread",
 * "pub_thread", "final"}.
 */
public class PatternPublisher extends GatewayModule {
    private final long startCount;
    private final long threadCount;
    private final int size;
    private final long pauseMs;
    private final String report;
    private long startOk;
    private long startFailed;
    private volatile long threadOk;
    private volatile long threadFailed;
    private volatile boolean running;
    private String startThread = "";
    private volatile String pubThread = "";
    private Thread worker;

    public PatternPublisher(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        startCount = Util.num(configuration, "start_count", 0);
        threadCount = Util.num(configuration, "thread_count", 0);
        size = (int) Util.num(configuration, "size", 64);
        pauseMs = Util.num(configuration, "pause_ms", 0);
        report = Util.str(configuration, "report", null);
    }

    private boolean send(String stream, long seq) {
        Map<String, String> p = new LinkedHashMap<String, String>();
        p.put("seq", Long.toString(seq));
        p.put("stream", stream);
        try {
            return publish(new Message(Util.fill(seq, size), p)) == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void start() {
        startThread = Thread.currentThread().getName();
        for (long i = 0; i < startCount; i++) {
            if (send("start", i)) {
                startOk++;
            } else {
                startFailed++;
            }
        }
        running = true;
        worker = new Thread(new Runnable() {
            public void run() {
                pubThread = Thread.currentThread().getName();
                for (long i = 0; running && (threadCount == 0 || i < threadCount); i++) {
                    if (send("thread", i)) {
                        threadOk++;
                    } else {
                        threadFailed++;
                    }
                    if (pauseMs > 0) {
                        try {
                            Thread.sleep(pauseMs);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                write(false);
            }
        }, "e2e-pattern-publisher");
        worker.start();
    }

    private void write(boolean fin) {
        Util.writeAtomic(report, "{\"start_ok\": " + startOk + ", \"start_failed\": " + startFailed
                + ", \"thread_ok\": " + threadOk + ", \"thread_failed\": " + threadFailed + ", \"start_thread\": "
                + Util.quote(startThread) + ", \"pub_thread\": " + Util.quote(pubThread) + ", \"final\": " + fin + "}");
    }

    @Override
    public void receive(Message message) {
    }

    @Override
    public void destroy() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        write(true);
    }
}
