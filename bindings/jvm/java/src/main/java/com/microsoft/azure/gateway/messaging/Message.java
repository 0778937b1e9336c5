/*
 * Part of the Go gateway's Java binding (github.com/edgev1/gateway/bindings/jvm).
 * Written for this project; API-compatible with the SDK v1 gateway-java-binding.
 */
package com.microsoft.azure.gateway.messaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A gateway message: a byte-array content and string properties.
 *
 * <p>The serialized form (what {@link #toByteArray()} writes and {@link #Message(byte[])} reads) is the
 * gateway's message byte array, big-endian:
 * <pre>
 *   0xA1 0x60                     header
 *   int32 total size              the length of the whole array
 *   int32 property count
 *   key NUL value NUL ...         per property, in insertion order, UTF-8
 *   int32 content size
 *   content bytes                 ending exactly at the end of the array
 * </pre>
 */
public final class Message {

    private static final int HEADER_0 = 0xA1;
    private static final int HEADER_1 = 0x60;
    /** Header, total size, property count and content size. */
    private static final int MIN_SIZE = 14;

    private final byte[] content;
    private final Map<String, String> properties;

    /**
     * Creates a message from a content and properties. The content array is used as given (not copied); the
     * properties are copied in the map's iteration order. A null content is an empty content; null properties
     * are no properties.
     *
     * @param content    the message content
     * @param properties the message properties
     */
    public Message(byte[] content, Map<String, String> properties) {
        this.content = content == null ? new byte[0] : content;
        this.properties = properties == null ? new LinkedHashMap<String, String>()
                : new LinkedHashMap<String, String>(properties);
    }

    /**
     * Creates a message from its serialized form.
     *
     * @param serializedMessage a gateway message byte array
     * @throws IllegalArgumentException if the array is not a valid serialized message
     */
    public Message(byte[] serializedMessage) {
        this(serializedMessage, 0, serializedMessage == null ? 0 : serializedMessage.length);
    }

    /**
     * Parses the serialized message held in {@code buf[offset, offset+length)} (the module host uses it to parse
     * messages in place from a batch). An addition to the SDK API.
     *
     * @param buf    the array holding the message
     * @param offset where the message starts
     * @param length the message's length
     * @return the message, with a copy of the content
     * @throws IllegalArgumentException if the bytes are not a valid serialized message
     */
    public static Message fromByteArray(byte[] buf, int offset, int length) {
        return new Message(buf, offset, length);
    }

    private Message(byte[] buf, int off, int len) {
        if (buf == null) {
            throw new IllegalArgumentException("message: serialized message is null");
        }
        if (off < 0 || len < 0 || off > buf.length - len) {
            throw new IllegalArgumentException("message: bad offset or length");
        }
        if (len < MIN_SIZE) {
            throw new IllegalArgumentException("message: too short (" + len + " bytes, minimum " + MIN_SIZE + ")");
        }
        if ((buf[off] & 0xFF) != HEADER_0 || (buf[off + 1] & 0xFF) != HEADER_1) {
            throw new IllegalArgumentException("message: bad header");
        }
        int total = readInt(buf, off + 2);
        if (total != len) {
            throw new IllegalArgumentException("message: total size " + total + " does not match the array length " + len);
        }
        int end = off + len;
        int count = readInt(buf, off + 6);
        // Each property takes at least two bytes (two NULs); the content size takes four.
        if (count < 0 || count > (len - MIN_SIZE) / 2) {
            throw new IllegalArgumentException("message: bad property count " + count);
        }
        int pos = off + 10;
        LinkedHashMap<String, String> props = new LinkedHashMap<String, String>(count < 12 ? 16 : count * 2);
        for (int i = 0; i < count; i++) {
            int k = indexOfNul(buf, pos, end);
            if (k < 0) {
                throw new IllegalArgumentException("message: property " + i + ": key not NUL-terminated");
            }
            String key = new String(buf, pos, k - pos, StandardCharsets.UTF_8);
            pos = k + 1;
            int v = indexOfNul(buf, pos, end);
            if (v < 0) {
                throw new IllegalArgumentException("message: property " + i + ": value not NUL-terminated");
            }
            String value = new String(buf, pos, v - pos, StandardCharsets.UTF_8);
            pos = v + 1;
            if (props.put(key, value) != null) {
                throw new IllegalArgumentException("message: duplicate property key \"" + key + "\"");
            }
        }
        if (end - pos < 4) {
            throw new IllegalArgumentException("message: too short for the content size");
        }
        int size = readInt(buf, pos);
        pos += 4;
        if (size < 0 || size != end - pos) {
            throw new IllegalArgumentException("message: bad content size " + size + " (" + (end - pos) + " bytes left)");
        }
        this.content = Arrays.copyOfRange(buf, pos, end);
        this.properties = props;
    }

    /**
     * Serializes the message into the gateway message byte array.
     *
     * @return a new array
     * @throws IOException if a key or value contains a NUL character, a key or value is null, or the message is
     *                     too large for the format
     */
    public byte[] toByteArray() throws IOException {
        int n = this.properties.size();
        byte[][] kv = new byte[n * 2][];
        long total = MIN_SIZE + (long) this.content.length;
        int i = 0;
        for (Map.Entry<String, String> e : this.properties.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IOException("message: property keys and values must not be null");
            }
            byte[] k = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] v = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (indexOfNul(k, 0, k.length) >= 0 || indexOfNul(v, 0, v.length) >= 0) {
                throw new IOException("message: property \"" + e.getKey() + "\" contains a NUL character");
            }
            kv[i++] = k;
            kv[i++] = v;
            total += k.length + v.length + 2;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IOException("message: too large to serialize (" + total + " bytes)");
        }
        byte[] out = new byte[(int) total];
        out[0] = (byte) HEADER_0;
        out[1] = (byte) HEADER_1;
        writeInt(out, 2, (int) total);
        writeInt(out, 6, n);
        int pos = 10;
        for (byte[] b : kv) {
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
            out[pos++] = 0;
        }
        writeInt(out, pos, this.content.length);
        pos += 4;
        System.arraycopy(this.content, 0, out, pos, this.content.length);
        return out;
    }

    /**
     * Returns the message's properties, in insertion order. The map is the message's own.
     *
     * @return the properties
     */
    public Map<String, String> getProperties() {
        return this.properties;
    }

    /**
     * Returns the message's content. The array is the message's own.
     *
     * @return the content
     */
    public byte[] getContent() {
        return this.content;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64 + this.content.length);
        sb.append("Message{content=\"").append(new String(this.content, StandardCharsets.UTF_8))
                .append("\", properties={");
        boolean first = true;
        for (Map.Entry<String, String> e : this.properties.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append("}}").toString();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Message)) {
            return false;
        }
        Message m = (Message) o;
        return Arrays.equals(this.content, m.content) && this.properties.equals(m.properties);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(this.content) + this.properties.hashCode();
    }

    static int readInt(byte[] b, int off) {
        return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8) | (b[off + 3] & 0xFF);
    }

    private static void writeInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }

    private static int indexOfNul(byte[] b, int from, int end) {
        for (int i = from; i < end; i++) {
            if (b[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
