package dev.postgate.common.api;

/** An answer about one resource with an id of its own (SPEC section 1), so a create can say where it is read. */
public interface Identified {
    String id();
}
