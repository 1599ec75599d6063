package org.paxosdns.comms;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An AppHandler that keeps every message it gets, for assertions. */
final class Collector implements AppHandler {
    record Received(int from, byte[] contents) {}

    final List<Received> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(int fromIndex, byte[] contents) {
        messages.add(new Received(fromIndex, contents));
    }

    List<byte[]> from(int index) {
        return messages.stream().filter(m -> m.from() == index).map(Received::contents).toList();
    }

    long count(int index) {
        return messages.stream().filter(m -> m.from() == index).count();
    }
}
