package e2emods;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers shared by the e2e Java test modules. */
final class Util {
    private Util() {
    }

    /**
     * Byte i of the content of message number seq: the same pattern as tm_pattern_byte in
     * testmodules/common/tm_common.h (the native publisher and sink use it), in 32-bit unsigned arithmetic.
     */
    static byte pattern(long seq, int i) {
        int s = (int) seq;
        int mix = s ^ (s >>> 8) * 7 ^ (s >>> 16) * 13 ^ (s >>> 24) * 29;
        return (byte) (mix * 131 + i * 7 + 1);
    }

    static byte[] fill(long seq, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = pattern(seq, i);
        }
        return b;
    }

    static boolean check(byte[] b, long seq) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] != pattern(seq, i)) {
                return false;
            }
        }
        return true;
    }

    /** A number member of a flat JSON object, or dflt. */
    static long num(String json, String key, long dflt) {
        if (json == null) {
            return dflt;
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : dflt;
    }

    /**
     * A string member of a flat JSON object, or dflt. Undoes backslash escapes of single characters (the gateway
     * writes "/" as backslash-slash in the module configuration, as the SDK's parson did); no unicode escapes.
     */
    static String str(String json, String key, String dflt) {
        if (json == null) {
            return dflt;
        }
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        if (!m.find()) {
            return dflt;
        }
        return m.group(1).replaceAll("\\\\(.)", "$1");
    }

    /** Writes a file atomically (temp file + rename), so readers never see half of it. */
    static synchronized void writeAtomic(String path, String text) {
        if (path == null) {
            return;
        }
        File tmp = new File(path + ".tmp");
        try (OutputStream out = new FileOutputStream(tmp)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuntimeException("write " + tmp, e);
        }
        if (!tmp.renameTo(new File(path))) {
            throw new RuntimeException("rename " + tmp + " to " + path);
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
