package dev.postgate.publish.generation;

import java.util.List;
import java.util.stream.Stream;

import dev.postgate.common.wire.WireName;
import dev.postgate.common.wire.WireNames;

/**
 * Where a generation is. Every step that talks to the outside world is recorded before and after,
 * so a request that dies at any point is finished by the worker without charging twice or losing
 * a refund:
 * <pre>
 * reserving ─(credits held)─▶ generating ─(output stored)─▶ settling ──▶ succeeded
 *                                        └─(provider failed)─▶ refunding ─▶ failed
 * </pre>
 * In test mode nothing is held: a generation starts generating and ends succeeded or failed.
 */
public enum GenerationState implements WireName {
    RESERVING, GENERATING, SETTLING, REFUNDING, SUCCEEDED, FAILED;

    private static final List<String> WITH_OUTPUT = Stream.of(SETTLING, SUCCEEDED).map(GenerationState::wire).toList();
    private static final List<String> UNFINISHED = Stream.of(RESERVING, GENERATING, SETTLING, REFUNDING).map(GenerationState::wire).toList();

    public static GenerationState of(String wire) {
        return WireNames.of(GenerationState.class, wire);
    }

    /** The states whose output exists, as stored: what the read endpoints show. */
    public static List<String> withOutput() {
        return WITH_OUTPUT;
    }

    /** The states a request leaves behind if it dies mid-way, as stored: the worker finishes them once their lease runs out. */
    public static List<String> unfinished() {
        return UNFINISHED;
    }

    /** What the API shows: a settling generation has its output, so it reads as succeeded. */
    public String visible() {
        return (this == SETTLING ? SUCCEEDED : this).wire();
    }
}
