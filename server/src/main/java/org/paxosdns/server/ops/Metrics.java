package org.paxosdns.server.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A small Prometheus registry: counters the node increments and gauges read when scraped.
 * Series are rendered in name order, one {@code # TYPE} line per metric family.
 */
public final class Metrics {
    private record Series(String family, String type, String help, String labels, LongSupplier value) {}

    private final Map<String, Series> series = new ConcurrentSkipListMap<>();
    private final Map<String, LongAdder> adders = new java.util.concurrent.ConcurrentHashMap<>();

    /** Registers (or returns) a counter; {@code labels} is Prometheus label text such as {@code rcode="NOERROR"}, or empty. */
    public LongAdder counter(String family, String help, String labels) {
        return adders.computeIfAbsent(key(family, labels), k -> {
            LongAdder adder = new LongAdder();
            series.put(k, new Series(family, "counter", help, labels, adder::sum));
            return adder;
        });
    }

    /** Registers a gauge read from {@code value} at every scrape. */
    public void gauge(String family, String help, String labels, LongSupplier value) {
        series.put(key(family, labels), new Series(family, "gauge", help, labels, value));
    }

    /** Registers a counter whose value is kept elsewhere (for example an engine's statistics). */
    public void counterFrom(String family, String help, String labels, LongSupplier value) {
        series.put(key(family, labels), new Series(family, "counter", help, labels, value));
    }

    /** The Prometheus text exposition of every series. */
    public String render() {
        StringBuilder out = new StringBuilder();
        String lastFamily = "";
        for (Series s : series.values()) {
            if (!s.family().equals(lastFamily)) {
                out.append("# HELP ").append(s.family()).append(' ').append(s.help()).append('\n');
                out.append("# TYPE ").append(s.family()).append(' ').append(s.type()).append('\n');
                lastFamily = s.family();
            }
            out.append(s.family());
            if (!s.labels().isEmpty()) {
                out.append('{').append(s.labels()).append('}');
            }
            out.append(' ').append(Long.toUnsignedString(s.value().getAsLong())).append('\n');
        }
        return out.toString();
    }

    private static String key(String family, String labels) {
        return family + '\u0000' + labels;
    }
}
