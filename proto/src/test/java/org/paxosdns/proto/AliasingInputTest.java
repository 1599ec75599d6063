package org.paxosdns.proto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

final class AliasingInputTest {
    /** A bytes field parsed through the input is a view: a later change to the source shows through. */
    @Test
    void bytesFieldsAreViewsOfTheParsedBytes() throws Exception {
        byte[] encoded = SignedKvCommand.newBuilder().setSig(ByteString.copyFromUtf8("signature")).build().toByteArray();
        SignedKvCommand fromArray = SignedKvCommand.parser().parseFrom(AliasingInput.of(encoded));
        SignedKvCommand fromBuffer = SignedKvCommand.parser().parseFrom(AliasingInput.of(ByteBuffer.wrap(encoded)));
        assertEquals("signature", fromArray.getSig().toStringUtf8());
        encoded[encoded.length - 1] = 'E';
        assertEquals("signaturE", fromArray.getSig().toStringUtf8(), "array input aliases");
        assertEquals("signaturE", fromBuffer.getSig().toStringUtf8(), "buffer input aliases");
    }
}
