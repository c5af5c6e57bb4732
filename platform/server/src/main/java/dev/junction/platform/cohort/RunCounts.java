package dev.junction.platform.cohort;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * What a run found and did.
 *
 * @param members            cohort members at the start
 * @param withEmail          members with an e-mail
 * @param skippedNoEmail     members without one (counted, not synced)
 * @param invalidEmail       members whose e-mail the vendor would refuse (skipped)
 * @param invalidEmailSample a few of those e-mails
 * @param duplicatesMerged   members sharing an e-mail (case-insensitively) with another, merged
 * @param toAdd              e-mails the run sends (new, changed, or refused last time)
 * @param toRemove           e-mails the run removes from the list
 * @param unchanged          e-mails already in the list as they are
 * @param added              new e-mails the vendor accepted
 * @param updated            changed or retried e-mails the vendor accepted
 * @param removed            e-mails removed from the list
 * @param rejected           e-mails the vendor refused (listed in the run's rejections)
 * @param differenceMillis   how long the census and the difference took in the database
 */
@Serdeable
record RunCounts(long members, @JsonProperty("with_email") long withEmail,
                        @JsonProperty("skipped_no_email") long skippedNoEmail,
                        @JsonProperty("invalid_email") long invalidEmail,
                        @JsonProperty("invalid_email_sample") List<String> invalidEmailSample,
                        @JsonProperty("duplicates_merged") long duplicatesMerged,
                        @JsonProperty("to_add") long toAdd, @JsonProperty("to_remove") long toRemove, long unchanged,
                        long added, long updated, long removed, long rejected,
                        @JsonProperty("difference_millis") long differenceMillis) {

    RunCounts withResults(long added, long updated, long removed, long rejected) {
        return new RunCounts(members, withEmail, skippedNoEmail, invalidEmail, invalidEmailSample, duplicatesMerged, toAdd,
                toRemove, unchanged, added, updated, removed, rejected, differenceMillis);
    }
}
