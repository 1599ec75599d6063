package org.paxosdns.server.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.paxosdns.zonestore.zone.ZoneCheck;
import org.paxosdns.zonestore.zone.ZoneLimits;
import org.paxosdns.zonestore.zone.ZoneValidator;

class PublishBenchTest {
    @Test
    void theGeneratedZoneFileIsValidAboutOneKibibyteAndCarriesItsSerial() {
        for (long serial : new long[] {1, 249, 100_000}) {
            byte[] file = PublishBench.zoneFile(PublishBench.zone(3), serial);
            assertTrue(file.length > PublishBench.ZONE_FILE_BYTES - 100 && file.length <= PublishBench.ZONE_FILE_BYTES,
                    file.length + " bytes");
            ZoneCheck check = new ZoneValidator(ZoneLimits.DEFAULT).parse(PublishBench.zone(3), file);
            ZoneCheck.Valid valid = assertInstanceOf(ZoneCheck.Valid.class, check, check::toString);
            assertEquals(serial, valid.zone().soaSerial());
        }
    }

    @Test
    void everyCommanderOwnsItsOwnZoneUnderTheBenchParent() {
        assertEquals("c0.publish.bench.", PublishBench.zone(0));
        assertEquals("c15.publish.bench.", PublishBench.zone(15));
    }
}
