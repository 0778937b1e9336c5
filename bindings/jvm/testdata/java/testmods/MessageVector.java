package testmods;

import com.microsoft.azure.gateway.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prints, one per line: the hex of Message("hello", {source=sensor1, type=temp}).toByteArray(); the parse of
 * the hex given as args[0] (content and properties); then "ok" or "rejected" for each further hex argument.
 */
public class MessageVector {
    public static void main(String[] args) throws Exception {
        Map<String, String> p = new LinkedHashMap<String, String>();
        p.put("source", "sensor1");
        p.put("type", "temp");
        System.out.println(hex(new Message("hello".getBytes(StandardCharsets.UTF_8), p).toByteArray()));
        Message m = new Message(unhex(args[0]));
        System.out.println(new String(m.getContent(), StandardCharsets.UTF_8) + " " + m.getProperties());
        System.out.println(m);
        for (int i = 1; i < args.length; i++) {
            try {
                new Message(unhex(args[i]));
                System.out.println("ok");
            } catch (IllegalArgumentException e) {
                System.out.println("rejected");
            }
        }
        Map<String, String> bad = new LinkedHashMap<String, String>();
        bad.put("k\u0000", "v");
        try {
            new Message(new byte[0], bad).toByteArray();
            System.out.println("nul accepted");
        } catch (java.io.IOException e) {
            System.out.println("nul rejected");
        }
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x & 0xff));
        }
        return sb.toString();
    }

    static byte[] unhex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
