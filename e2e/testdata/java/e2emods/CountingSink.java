package e2emods;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

/**
 * Counts messages and checks them like the native sink: the "seq" property must be the next one expected
 * (from 0) and the content must be the test pattern of that seq. Args: {"report": path, "expect": N,
 * "report_every": K}. Writes {"received", "out_of_order", "bad_content", "no_seq", "last_seq", "final",
 * "thread"} when expect is reached, every K messages, and in destroy (final true).
 */
public class CountingSink extends GatewayModule {
    private final String report;
    private final long expect;
    private final long every;
    private long received;
    private long outOfOrder;
    private long badContent;
    private long noSeq;
    private long next;
    private String thread = "";

    public CountingSink(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        this.report = Util.str(configuration, "report", null);
        this.expect = Util.num(configuration, "expect", 0);
        this.every = Util.num(configuration, "report_every", 0);
    }

    @Override
    public void receive(Message message) {
        thread = Thread.currentThread().getName();
        received++;
        String s = message.getProperties().get("seq");
        if (s == null) {
            noSeq++;
        } else {
            long seq = Long.parseLong(s);
            if (seq != next) {
                outOfOrder++;
            }
            next = seq + 1;
            if (!Util.check(message.getContent(), seq)) {
                badContent++;
            }
        }
        if (received == expect || (every > 0 && received % every == 0)) {
            write(false);
        }
    }

    private void write(boolean fin) {
        Util.writeAtomic(report, "{\"received\": " + received + ", \"out_of_order\": " + outOfOrder
                + ", \"bad_content\": " + badContent + ", \"no_seq\": " + noSeq + ", \"last_seq\": " + (next - 1)
                + ", \"final\": " + fin + ", \"thread\": " + Util.quote(thread) + "}");
    }

    @Override
    public void destroy() {
        write(true);
    }
}
