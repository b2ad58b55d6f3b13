package io.alknet.integration;

import io.alknet.call.Json;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A raw-framing peer written from the spec, for tests that need to send what a well-behaved client never
 * would: a blocking socket speaking 4-byte length + JSON.
 */
final class CallWire implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    CallWire(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Sends the auth frame and returns the server's answer. */
    Map<String, Object> authenticate(String token) throws IOException {
        send(envelope("auth", "", Map.of("token", token)));
        return read();
    }

    static Map<String, Object> envelope(String type, String id, Object payload) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type);
        envelope.put("id", id);
        envelope.put("payload", payload);
        return envelope;
    }

    static Map<String, Object> call(String id, String operation, Object input) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("requestId", id);
        payload.put("operationId", operation);
        payload.put("input", input);
        return envelope("call.requested", id, payload);
    }

    void send(Object json) throws IOException {
        frame(Json.write(json));
    }

    void frame(byte[] body) throws IOException {
        byte[] header = {(byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length};
        raw(header);
        raw(body);
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> read() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return (Map<String, Object>) Json.read(body);
    }

    /** True when the server closed the stream (after everything it sent was read). */
    boolean atEnd() throws IOException {
        try {
            return in.read() < 0;
        } catch (EOFException | SocketTimeoutException e) {
            return e instanceof EOFException;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> payload(Map<String, Object> envelope) {
        return (Map<String, Object>) envelope.get("payload");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
