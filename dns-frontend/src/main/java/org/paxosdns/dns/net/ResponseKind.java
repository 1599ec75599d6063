package org.paxosdns.dns.net;

/**
 * What an encoded response is, for rate limiting: Knot's and BIND's RRL count each kind
 * separately, so a flood of one kind (say NXDOMAIN for random names) does not silence the
 * others for the same client prefix. Each kind also says which name it is counted under:
 * positive answers and NODATA by the query name and type, NXDOMAIN by the zone (the owner of
 * the SOA in the authority section), referrals by the delegation point (the owner of the NS
 * records), errors by nothing but the prefix.
 */
enum ResponseKind {
    /** NOERROR with records in the answer section. */
    positive,
    /** NOERROR, AA, nothing in the answer section. */
    noData,
    /** NXDOMAIN. */
    nxDomain,
    /** NOERROR, AA clear, nothing in the answer, NS records in authority. */
    referral,
    /** Any other rcode (REFUSED, SERVFAIL, FORMERR, NOTIMP, NOTAUTH, ...). */
    error;

    private static final int aaBit = 0x04;
    private static final int rcodeMask = 0x0F;
    private static final int noError = 0;
    private static final int nxDomainRcode = 3;

    /** The kind of {@code response} (at least a header long). */
    static ResponseKind of(byte[] response) {
        int rcode = response[3] & rcodeMask;
        if (rcode == nxDomainRcode) {
            return nxDomain;
        }
        if (rcode != noError) {
            return error;
        }
        if (WireNames.u16(response, 6) > 0) {
            return positive;
        }
        if ((response[2] & aaBit) != 0 || WireNames.u16(response, 8) == 0) {
            return noData;
        }
        return referral;
    }
}
