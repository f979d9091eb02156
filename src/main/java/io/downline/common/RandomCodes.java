package io.downline.common;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable codes: short ones people type (referral and activation codes) and long ones they follow (reset links). */
public final class RandomCodes {

    /** Crockford's base 32: no I, L, O or U, so codes survive being read aloud or typed from a phone screen. */
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomCodes() {
    }

    /**
     * A code of the given length in Crockford's base 32 (5 bits each). One draw from the generator per code, not per
     * character: each draw takes its lock and mixes, which a bulk import pays a million times. The low 5 bits of a random
     * byte are uniform over the alphabet's 32 characters.
     */
    public static String typeable(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        char[] code = new char[length];
        for (int i = 0; i < length; i++) {
            code[i] = ALPHABET[bytes[i] & 0x1f];
        }
        return new String(code);
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public static String token() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
