package org.paxosdns.proto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;

/**
 * Protobuf inputs whose bytes fields are views of the parsed bytes, not copies. Protobuf honours
 * aliasing only on an input it believes immutable: {@code CodedInputStream.newInstance(byte[])}
 * with aliasing enabled still copies every bytes field. The caller guarantees the bytes are not
 * changed while a parsed message (or a view taken from it) is in use.
 */
public final class AliasingInput {
    private AliasingInput() {
    }

    /** An aliasing input over the whole array. */
    public static CodedInputStream of(byte[] bytes) {
        return aliasing(UnsafeByteOperations.unsafeWrap(bytes).newCodedInput());
    }

    /** An aliasing input over the buffer's remaining bytes. */
    public static CodedInputStream of(ByteBuffer buffer) {
        return aliasing(UnsafeByteOperations.unsafeWrap(buffer).newCodedInput());
    }

    private static CodedInputStream aliasing(CodedInputStream in) {
        in.enableAliasing(true);
        return in;
    }
}
