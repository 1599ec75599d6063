package org.paxosdns.server.commander;

import java.util.concurrent.CompletableFuture;
import org.paxosdns.proto.CommanderRequest;
import org.paxosdns.proto.CommanderResponse;

/** Handles one commander request; the future must complete (with a response, never exceptionally) within a bounded time. */
public interface CommanderService {
    CompletableFuture<CommanderResponse> handle(CommanderRequest request);
}
