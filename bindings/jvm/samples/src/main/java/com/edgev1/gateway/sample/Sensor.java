/*
 * Sample Java module for the Go gateway: a simulated temperature sensor.
 */
package com.edgev1.gateway.sample;

import com.microsoft.azure.gateway.core.Broker;
import com.microsoft.azure.gateway.core.GatewayModule;
import com.microsoft.azure.gateway.messaging.Message;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Publishes a simulated temperature reading from its own thread, every {@code interval.ms} milliseconds
 * (args: {"interval.ms": 2000, "count": 0}; count 0 means no limit). Publishing starts at {@link #start()}.
 */
public class Sensor extends GatewayModule {

    private final long intervalMs;
    private final long count;
    private volatile boolean running;
    private Thread thread;

    public Sensor(long address, Broker broker, String configuration) {
        super(address, broker, configuration);
        this.intervalMs = number(configuration, "interval.ms", 2000);
        this.count = number(configuration, "count", 0);
    }

    @Override
    public void start() {
        this.running = true;
        this.thread = new Thread(this::run, "sample-sensor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        double temperature = 21.0;
        for (long seq = 1; this.running && (this.count == 0 || seq <= this.count); seq++) {
            temperature += (Math.random() - 0.5) / 2;
            String content = String.format("{\"temperature\": %.2f, \"sequence\": %d}", temperature, seq);
            Map<String, String> props = new LinkedHashMap<String, String>();
            props.put("source", "sensor");
            props.put("sequence", Long.toString(seq));
            try {
                int rc = publish(new Message(content.getBytes(StandardCharsets.UTF_8), props));
                if (rc != 0) {
                    System.err.println("Sensor: publish returned " + rc);
                }
            } catch (IOException e) {
                System.err.println("Sensor: publish failed: " + e);
            }
            try {
                Thread.sleep(this.intervalMs);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void receive(Message message) {
        // The sensor only publishes.
    }

    @Override
    public void destroy() {
        this.running = false;
        Thread t = this.thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reads a number member of a flat JSON object (the sample needs nothing more than that). */
    static long number(String json, String key, long dflt) {
        if (json == null) {
            return dflt;
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : dflt;
    }
}
