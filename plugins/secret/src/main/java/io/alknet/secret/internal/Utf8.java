package io.alknet.secret.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * UTF-8 and Unicode normalization of secret text without leaving copies behind: the JDK's conveniences
 * ({@code String.getBytes}, {@code Charset.encode}) return buffers the caller cannot wipe.
 */
public final class Utf8 {

    private Utf8() {
    }

    /** The UTF-8 bytes of {@code chars}, in an array the caller owns (and wipes). */
    public static byte[] encode(char[] chars) {
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        byte[] buffer = new byte[chars.length * 3];
        ByteBuffer out = ByteBuffer.wrap(buffer);
        CoderResult result = encoder.encode(CharBuffer.wrap(chars), out, true);
        if (!result.isError()) {
            result = encoder.flush(out);
        }
        if (result.isError()) {
            Wipe.bytes(buffer);
            try {
                result.throwException();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the text is not valid Unicode (a lone surrogate)", e);
            }
        }
        byte[] encoded = Arrays.copyOf(buffer, out.position());
        Wipe.bytes(buffer);
        return encoded;
    }

    /**
     * {@code chars} in Unicode normalization {@code form}, as a new array the caller owns. ASCII text is the same in
     * every form and is only copied; other text goes through {@link Normalizer}, which makes a {@code String} that
     * cannot be wiped (docs/secret.md says so).
     */
    public static char[] normalize(char[] chars, Normalizer.Form form) {
        for (char c : chars) {
            if (c > 0x7f) {
                return Normalizer.normalize(CharBuffer.wrap(chars), form).toCharArray();
            }
        }
        return chars.clone();
    }
}
