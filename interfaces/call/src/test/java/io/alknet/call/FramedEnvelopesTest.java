package io.alknet.call;

import io.alknet.api.call.EnvelopeHandler;
import io.alknet.api.call.EventEnvelope;
import io.alknet.testkit.RecordingStream;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame codec as pure logic, over an in-memory stream (end-to-end tests use real sockets). */
class FramedEnvelopesTest {

    private static final class Recorder implements EnvelopeHandler {
        final List<EventEnvelope> envelopes = new ArrayList<>();
        final List<String> malformed = new ArrayList<>();

        @Override
        public void onEnvelope(EventEnvelope envelope) {
            envelopes.add(envelope);
        }

        @Override
        public void onMalformed(String requestId, String reason) {
            malformed.add(requestId + "|" + reason);
        }

        @Override
        public void onClosed() {
        }
    }

    private static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).putInt(body.length).put(body).array();
    }

    @Test
    void writesFourByteBigEndianLengthThenJsonWithExactlyThreeMembers() {
        RecordingStream stream = new RecordingStream();
        FramedEnvelopes framed = new FramedEnvelopes(stream, 1024);
        framed.send(new EventEnvelope("tick", "topic", null));
        byte[] bytes = stream.written();
        int length = ByteBuffer.wrap(bytes).getInt();
        assertThat(length).isEqualTo(bytes.length - 4);
        assertThat(new String(bytes, 4, length, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"tick\",\"id\":\"topic\",\"payload\":null}");
    }

    @Test
    void reassemblesFramesSplitAtEveryByteBoundary() {
        RecordingStream out = new RecordingStream();
        FramedEnvelopes writer = new FramedEnvelopes(out, 1 << 16);
        writer.send(EventEnvelope.call(EventEnvelope.CALL_REQUESTED, "r1", Map.of("operationId", "/a/b", "input", "x".repeat(3000))));
        writer.send(new EventEnvelope("tick", "", Map.of()));
        byte[] wire = out.written();
        for (int split = 0; split <= wire.length; split += 7) {
            RecordingStream in = new RecordingStream();
            Recorder recorder = new Recorder();
            new FramedEnvelopes(in, 1 << 16).start(recorder);
            in.handler().onData(ByteBuffer.wrap(wire, 0, split));
            in.handler().onData(ByteBuffer.wrap(wire, split, wire.length - split));
            assertThat(recorder.envelopes).hasSize(2);
            assertThat(recorder.envelopes.getFirst().requestId()).isEqualTo("r1");
            assertThat(recorder.malformed).isEmpty();
        }
    }

    @Test
    void skipsAnOversizedFrameAndCarriesOn() {
        RecordingStream in = new RecordingStream();
        Recorder recorder = new Recorder();
        new FramedEnvelopes(in, 100).start(recorder);
        byte[] big = frame(new byte[5000]);
        byte[] good = frame("{\"type\":\"tick\",\"id\":\"\",\"payload\":1}".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < big.length; i += 1000) {
            in.handler().onData(ByteBuffer.wrap(big, i, Math.min(1000, big.length - i)));
        }
        in.handler().onData(ByteBuffer.wrap(good));
        assertThat(recorder.malformed).singleElement().asString().contains("5000 bytes exceeds the limit of 100");
        assertThat(recorder.envelopes).singleElement().extracting(EventEnvelope::payload).isEqualTo(1);
    }

    @Test
    void reportsBadJsonAndBadEnvelopesWithTheRequestIdWhenThereIsOne() {
        RecordingStream in = new RecordingStream();
        Recorder recorder = new Recorder();
        new FramedEnvelopes(in, 1024).start(recorder);
        in.handler().onData(ByteBuffer.wrap(frame("{nope".getBytes(StandardCharsets.UTF_8))));
        in.handler().onData(ByteBuffer.wrap(frame("\"text\"".getBytes(StandardCharsets.UTF_8))));
        in.handler().onData(ByteBuffer.wrap(frame("{\"id\":\"r9\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8))));
        assertThat(recorder.malformed).hasSize(3);
        assertThat(recorder.malformed.get(0)).startsWith("|invalid JSON");
        assertThat(recorder.malformed.get(1)).contains("JSON object");
        assertThat(recorder.malformed.get(2)).startsWith("r9|").contains("'type'");
        assertThat(recorder.envelopes).isEmpty();
        // the report (which the server logs) never repeats what the peer sent: it may be a secret typed in the wrong place
        in.handler().onData(ByteBuffer.wrap(frame("{\"token\": alk_SECRETSECRET}".getBytes(StandardCharsets.UTF_8))));
        assertThat(recorder.malformed.get(3)).startsWith("|invalid JSON at line 1").doesNotContain("SECRET");
    }

    @Test
    void aStreamEndingInsideAFrameIsReportedThenClosed() {
        RecordingStream in = new RecordingStream();
        Recorder recorder = new Recorder();
        new FramedEnvelopes(in, 1024).start(recorder);
        in.handler().onData(ByteBuffer.wrap(new byte[] {0, 0, 0, 50, '{'}));
        in.handler().onInputClosed();
        assertThat(recorder.malformed).singleElement().asString().contains("truncated frame: the stream ended after 1 of 50 bytes");
        assertThat(in.isClosed()).isTrue();
    }

    @Test
    void aResultTooLargeForAFrameBecomesAnError() {
        RecordingStream out = new RecordingStream();
        new FramedEnvelopes(out, 200).send(EventEnvelope.call(EventEnvelope.CALL_RESPONDED, "r1", Map.of("output", "y".repeat(500))));
        String text = new String(out.written(), 4, out.written().length - 4, StandardCharsets.UTF_8);
        assertThat(text).contains("call.error").contains("EXECUTION_ERROR").contains("frame limit");
    }

    @Test
    void aLengthPrefixAloneCommitsNoMoreMemoryThanTheBytesThatArrived() {
        RecordingStream in = new RecordingStream();
        Recorder recorder = new Recorder();
        FramedEnvelopes framed = new FramedEnvelopes(in, 1 << 20);
        framed.start(recorder);
        // the peer announces a frame of the full 1 MiB limit and sends ten bytes of it
        in.handler().onData(ByteBuffer.wrap(new byte[] {0, 0x10, 0, 0, '{', '"', 't', 'y', 'p', 'e', '"', ':', '"', 'x'}));
        assertThat(framed.bufferedCapacity()).isEqualTo(FramedEnvelopes.INITIAL_BODY);
        // the rest arrives in pieces: the buffer grows with it and the envelope is intact
        StringBuilder json = new StringBuilder("{\"type\":\"x\",\"id\":\"\",\"payload\":\"");
        int padding = (1 << 20) - json.length() - 2;
        json.append("p".repeat(padding)).append("\"}");
        byte[] rest = json.substring(10).getBytes(StandardCharsets.UTF_8);
        int half = rest.length / 2;
        in.handler().onData(ByteBuffer.wrap(rest, 0, half));
        assertThat(framed.bufferedCapacity()).isBetween(10 + half, 2 * (10 + half));
        in.handler().onData(ByteBuffer.wrap(rest, half, rest.length - half));
        assertThat(recorder.malformed).isEmpty();
        assertThat(recorder.envelopes).singleElement().satisfies(envelope -> {
            assertThat(envelope.type()).isEqualTo("x");
            assertThat((String) envelope.payload()).hasSize(padding);
        });
        assertThat(framed.bufferedCapacity()).isZero();
    }
}
