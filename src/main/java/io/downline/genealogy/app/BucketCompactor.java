package io.downline.genealogy.app;

import jakarta.enterprise.context.ApplicationScoped;

import io.downline.genealogy.store.GenealogyRepository;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Folds the label buckets' delta rows into their base rows every second (docs/genealogy.md, "Label buckets"), so that a
 * downline sum reads few delta rows; one fold at a time across all instances, by an advisory lock in the database.
 * Every tenth run also vacuums the two small tables, which each fold fills with dead rows.
 */
@ApplicationScoped
public class BucketCompactor {

    static final int VACUUM_EVERY = 10;

    private final GenealogyRepository repository;
    private int runs;

    public BucketCompactor(GenealogyRepository repository) {
        this.repository = repository;
    }

    @Scheduled(every = "${downline.genealogy.bucket-fold-every}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> fold() {
        boolean vacuum = ++runs % VACUUM_EVERY == 0;
        // null: another instance folds now, and vacuums too
        return repository.compactBuckets().chain(folded -> vacuum && folded != null ? repository.vacuumBuckets() : Uni.createFrom().voidItem());
    }
}
