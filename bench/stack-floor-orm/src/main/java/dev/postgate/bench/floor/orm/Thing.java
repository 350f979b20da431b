package dev.postgate.bench.floor.orm;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The floor app's one entity. */
@Entity
@Table(name = "things")
public class Thing {
    @Id
    public String id;

    public String name;
}
