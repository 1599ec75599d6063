package org.paxosdns.zonestore.zone;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.paxosdns.identity.ZoneNames;
import org.paxosdns.zonestore.zone.ZoneProblem.Kind;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Generator;
import org.xbill.DNS.Master;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Checks that bytes are a zone paxosdns may serve: an RFC 1035 master file (parsed by dnsjava
 * with {@code $INCLUDE} refused, since a zone must never read the server's files, and
 * {@code $GENERATE} bounded), origin = the zone's FQDN, class IN, every owner at or below the
 * apex, exactly one SOA and it at the apex, at least one NS at the apex, within
 * {@link ZoneLimits}. Stateless and thread-safe.
 */
public final class ZoneValidator {
    /** dnsjava prefixes parse errors with {@code <file>:<line>: }; the file of a stream is {@code <none>}. */
    private static final Pattern LOCATED = Pattern.compile("^.*?:(\\d+): (.*)$", Pattern.DOTALL);

    private final ZoneLimits limits;

    public ZoneValidator(ZoneLimits limits) {
        this.limits = limits;
    }

    /**
     * Parses and checks {@code content} as the zone {@code fqdn}, and requires its SOA serial
     * to be newer (RFC 1982) than {@code currentSerial} when the zone already exists.
     */
    public ZoneCheck check(String fqdn, byte[] content, OptionalLong currentSerial) {
        ZoneCheck check = parse(fqdn, content);
        if (check instanceof ZoneCheck.Valid valid && currentSerial.isPresent()) {
            long serial = valid.zone().soaSerial();
            if (!SerialNumbers.isNewer(serial, currentSerial.getAsLong())) {
                return new ZoneCheck.Invalid(ZoneProblem.of(Kind.STALE_SERIAL, "SOA serial " + serial
                        + " is not newer than the served serial " + currentSerial.getAsLong() + " (RFC 1982)"));
            }
        }
        return check;
    }

    /** Parses and checks {@code content} as the zone {@code fqdn}; no comparison with a served version. */
    public ZoneCheck parse(String fqdn, byte[] content) {
        return parse(fqdn, content, record -> { });
    }

    /**
     * Parses and checks {@code content} as the zone {@code fqdn}, handing each record to
     * {@code sink} as soon as it has passed the per-record rules (file order, then the
     * {@code $GENERATE} expansions), so a caller can index the zone in the same pass without a
     * list of every record. When the result is {@link ZoneCheck.Invalid} the sink has seen a
     * prefix of the zone and the caller must discard what it built. An exception from the sink
     * makes the zone invalid.
     */
    public ZoneCheck parse(String fqdn, byte[] content, Consumer<Record> sink) {
        if (content.length > limits.zoneBytesMax()) {
            return invalid(Kind.TOO_LARGE, "zone file of " + content.length + " bytes exceeds zoneBytesMax="
                    + limits.zoneBytesMax());
        }
        Name origin;
        String apex;
        try {
            apex = ZoneNames.normalize(fqdn);
            origin = Name.fromString(apex);
        } catch (IllegalArgumentException | TextParseException e) {
            return invalid(Kind.BAD_NAME, "not a zone name: " + fqdn + " (" + e.getMessage() + ")");
        }
        ContentRules rules = new ContentRules(apex, origin, limits.zoneRecordsMax(), sink);
        ZoneProblem problem = read(origin, content, rules);
        if (problem == null) {
            problem = rules.finish();
        }
        return problem != null ? new ZoneCheck.Invalid(problem)
                : new ZoneCheck.Valid(new ParsedZone(apex, rules.count, rules.soa.getSerial()));
    }

    private ZoneProblem read(Name origin, byte[] content, ContentRules rules) {
        try (Master master = new Master(new MasterFileInput(content), origin)) {
            master.disableIncludes(true);
            master.expandGenerate(false);
            Record record;
            while ((record = master.nextRecord()) != null) {
                ZoneProblem problem = rules.accept(record);
                if (problem != null) {
                    return problem;
                }
            }
            return expandGenerators(master.generators(), rules);
        } catch (IOException | RuntimeException e) {
            return parseProblem(e);
        }
    }

    /** Expands {@code $GENERATE} lines only after counting what they would produce. */
    private ZoneProblem expandGenerators(Iterator<Generator> generators, ContentRules rules) throws IOException {
        List<Generator> all = new ArrayList<>();
        generators.forEachRemaining(all::add);
        long expansion = 0;
        for (Generator generator : all) {
            long count = (generator.end - generator.start) / generator.step + 1;
            expansion += count;
            if (expansion > limits.generateExpansionMax()) {
                return ZoneProblem.of(Kind.GENERATE_TOO_LARGE, "'" + generator.toString().trim() + "' makes the "
                        + "$GENERATE lines expand to " + expansion + " records, more than generateExpansionMax="
                        + limits.generateExpansionMax());
            }
        }
        for (Generator generator : all) {
            Record record;
            while ((record = generator.nextRecord()) != null) {
                ZoneProblem problem = rules.accept(record);
                if (problem != null) {
                    return problem;
                }
            }
        }
        return null;
    }

    private static ZoneProblem parseProblem(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Matcher located = LOCATED.matcher(text);
        int line = located.matches() ? Integer.parseInt(located.group(1)) : 0;
        String detail = located.matches() ? located.group(2) : text;
        Kind kind = detail.contains("$INCLUDE") ? Kind.INCLUDE_REFUSED : Kind.SYNTAX;
        if (kind == Kind.INCLUDE_REFUSED) {
            detail = "$INCLUDE is not allowed: a zone must be one self-contained file";
        }
        return new ZoneProblem(kind, line, line > 0 ? "line " + line + ": " + detail : detail);
    }

    /** The rules on the records of one zone, applied as they stream past. */
    private static final class ContentRules {
        private final String apex;
        private final Name origin;
        private final int recordsMax;
        private final Consumer<Record> sink;
        private SOARecord soa;
        private boolean apexNs;
        private int count;

        ContentRules(String apex, Name origin, int recordsMax, Consumer<Record> sink) {
            this.apex = apex;
            this.origin = origin;
            this.recordsMax = recordsMax;
            this.sink = sink;
        }

        /** Checks one record and hands it on; a problem stops the parse. */
        ZoneProblem accept(Record record) {
            if (++count > recordsMax) {
                return ZoneProblem.of(Kind.TOO_MANY_RECORDS, "more than zoneRecordsMax=" + recordsMax + " records");
            }
            if (record.getDClass() != DClass.IN) {
                return ZoneProblem.of(Kind.WRONG_CLASS, describe(record) + " has class "
                        + DClass.string(record.getDClass()) + "; only IN is served");
            }
            if (!record.getName().subdomain(origin)) {
                return ZoneProblem.of(Kind.OUT_OF_ZONE, describe(record) + " is outside the zone " + apex);
            }
            if (record instanceof SOARecord found) {
                if (soa != null) {
                    return ZoneProblem.of(Kind.MULTIPLE_SOA, "more than one SOA record: " + describe(soa) + " and "
                            + describe(found));
                }
                soa = found;
            }
            apexNs |= record.getType() == Type.NS && record.getName().equals(origin);
            sink.accept(record);
            return null;
        }

        /** The rules on the zone as a whole, once every record has passed. */
        ZoneProblem finish() {
            if (soa == null) {
                return ZoneProblem.of(Kind.NO_SOA, "no SOA record; the zone " + apex + " needs one at its apex");
            }
            if (!soa.getName().equals(origin)) {
                return ZoneProblem.of(Kind.SOA_NOT_AT_APEX, "the SOA is at " + soa.getName() + ", not at the apex " + apex);
            }
            if (!apexNs) {
                return ZoneProblem.of(Kind.NO_APEX_NS, "no NS record at the apex " + apex);
            }
            return null;
        }
    }

    private static String describe(Record record) {
        return "owner " + record.getName() + " (" + Type.string(record.getType()) + ")";
    }

    private static ZoneCheck invalid(Kind kind, String message) {
        return new ZoneCheck.Invalid(ZoneProblem.of(kind, message));
    }
}
