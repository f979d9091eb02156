package io.downline.kyc.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.downline.audit.api.AuditEvent;
import io.downline.audit.api.AuditSubjects;
import io.downline.audit.api.AuditTrail;
import io.downline.common.Hashing;
import io.downline.common.paging.Page;
import io.downline.common.paging.PageRequest;
import io.downline.common.problem.ProblemException;
import io.downline.common.problem.ProblemType;
import io.downline.genealogy.api.MemberDirectory;
import io.downline.genealogy.api.MemberDirectory.MemberRef;
import io.downline.kyc.api.DocumentKind;
import io.downline.kyc.api.DocumentStatus;
import io.downline.kyc.api.KycChecks;
import io.downline.kyc.app.KycModels.ApprovalRequest;
import io.downline.kyc.app.KycModels.Content;
import io.downline.kyc.app.KycModels.DocumentView;
import io.downline.kyc.app.KycModels.KycStatusView;
import io.downline.kyc.app.KycModels.ReadView;
import io.downline.kyc.store.DocumentStore;
import io.downline.kyc.store.KycRepository;
import io.downline.kyc.store.KycRepository.AadhaarRow;
import io.downline.kyc.store.KycRepository.Document;
import io.downline.kyc.store.KycRepository.NewDocument;
import io.downline.kyc.api.PanApprovals;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.SqlClient;

/**
 * The KYC vault: distributors upload their documents (type decided by content, encrypted before they leave the
 * service), support staff review them (never their own), and every read of a document's content is logged before the
 * content is decrypted.
 */
@ApplicationScoped
public class KycService implements KycChecks {

    private static final Logger LOG = Logger.getLogger(KycService.class);
    private static final Pattern PAN = Pattern.compile("[A-Z]{3}[ABCFGHJLPT][A-Z][0-9]{4}[A-Z]");

    private final KycRepository repository;
    private final DocumentStore store;
    private final Vault vault;
    private final MemberDirectory members;
    private final PanApprovals tds;
    private final AuditTrail audit;
    private final long maxDocumentSize;

    public KycService(KycRepository repository, DocumentStore store, Vault vault, MemberDirectory members, PanApprovals tds, KycConfig config,
            AuditTrail audit) {
        this.repository = repository;
        this.audit = audit;
        this.store = store;
        this.vault = vault;
        this.members = members;
        this.tds = tds;
        this.maxDocumentSize = config.maxDocumentSize().asLongValue();
    }

    public long maxDocumentSize() {
        return maxDocumentSize;
    }

    // ---- the distributor ------------------------------------------------------------------------------------------

    /**
     * Stores an uploaded document for the caller. The file is read, checked and encrypted off the event loop; its
     * ciphertext goes to the store before the row is written, and is removed again if the row cannot be.
     */
    public Uni<DocumentView> upload(UUID userId, String actor, DocumentKind kind, Path file, long size, String aadhaarNumber) {
        if (size > maxDocumentSize) {
            throw new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "A document may be at most " + maxDocumentSize + " bytes; this one has "
                    + size + ".");
        }
        if (size == 0) {
            throw ProblemException.invalidField("file", "is empty");
        }
        String aadhaar;
        if (kind == DocumentKind.AADHAAR) {
            aadhaar = Aadhaar.parse("aadhaarNumber", aadhaarNumber);
        } else if (aadhaarNumber != null && !aadhaarNumber.isBlank()) {
            throw ProblemException.invalidField("aadhaarNumber", "goes only with an AADHAAR document");
        } else {
            aadhaar = null;
        }
        return members.byUser(userId).chain(member -> blocking(() -> {
            byte[] content = read(file);
            String contentType = ContentTypes.detect(content);
            String ref = newReference();
            Vault.Sealed sealed = vault.seal(content, documentBinding(member.distributorId(), ref));
            store.put(ref, sealed.ciphertext());
            return new NewDocument(member.distributorId(), kind, contentType, content.length, Hashing.sha256(content), ref, sealed.wrappedKey(),
                    sealed.masterKeyId(), actor);
        }).chain(document -> repository.pool().withTransaction(conn -> repository.lockMember(conn, member.distributorId())
                .chain(() -> repository.insert(conn, document))
                .call(() -> aadhaar == null ? Uni.createFrom().voidItem() : saveAadhaar(conn, member.distributorId(), aadhaar)))
                .onFailure().call(() -> blocking(() -> {
                    store.delete(document.storageRef());
                    return null;
                }).onFailure().invoke(e -> LOG.warnf(e, "Could not remove the unrecorded document %s", document.storageRef()))
                        .onFailure().recoverWithNull()))
                .chain(id -> repository.find(repository.pool(), id)).map(d -> view(d, member)));
    }

    private Uni<Void> saveAadhaar(SqlClient conn, long distributorId, String number) {
        Vault.Sealed sealed = vault.seal(number.getBytes(java.nio.charset.StandardCharsets.US_ASCII), aadhaarBinding(distributorId));
        return repository.saveAadhaar(conn, new AadhaarRow(distributorId, sealed.ciphertext(), sealed.wrappedKey(), sealed.masterKeyId(),
                number.substring(8)));
    }

    public Uni<KycStatusView> myStatus(UUID userId) {
        return members.byUser(userId).chain(this::status);
    }

    public Uni<Content> myContent(UUID userId, String actor, long documentId) {
        return members.byUser(userId).chain(member -> existing(documentId).chain(document -> {
            if (document.distributorId() != member.distributorId()) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such document.");
            }
            return content(document, actor, "distributor", "The owner viewed their own document");
        }));
    }

    public Uni<Page<ReadView>> myReads(UUID userId, Long documentId, PageRequest page) {
        return members.byUser(userId).chain(member -> repository.reads(repository.pool(), member.distributorId(), documentId,
                page.afterNumber(), page.limit + 1))
                .map(reads -> page.page(reads.stream().map(r -> new ReadView(r.id(), r.documentId(), r.kind(), r.reader(), r.readerRoles(),
                        r.purpose(), r.readAt())).toList(), r -> List.of(Long.toString(r.id()))));
    }

    // ---- staff ----------------------------------------------------------------------------------------------------

    public Uni<KycStatusView> statusOf(String memberCode) {
        return members.byCode(memberCode).chain(this::status);
    }

    public Uni<Page<DocumentView>> list(String memberCode, DocumentStatus status, DocumentKind kind, PageRequest page) {
        Uni<Long> owner = memberCode == null ? Uni.createFrom().nullItem() : members.byCode(memberCode).map(MemberRef::distributorId);
        return owner.chain(distributorId -> repository.list(repository.pool(), distributorId, status, kind, page.afterNumber(), page.limit + 1))
                .chain(this::views)
                .map(views -> page.page(views, v -> List.of(Long.toString(v.id()))));
    }

    public Uni<DocumentView> find(long id) {
        return existing(id).chain(document -> members.byIds(List.of(document.distributorId()))
                .map(found -> view(document, found.get(document.distributorId()))));
    }

    /** Staff read a document's content with a stated purpose; the read is logged before anything is decrypted. */
    public Uni<Content> content(long id, String reader, Set<String> roles, String purpose) {
        if (purpose == null || purpose.isBlank()) {
            throw ProblemException.invalidField("reason", "is required: say why you read this member's document");
        }
        if (purpose.length() > 500) {
            throw ProblemException.invalidField("reason", "must be at most 500 characters");
        }
        return existing(id).chain(document -> content(document, reader, String.join(",", roles.stream().sorted().toList()), purpose.trim()));
    }

    /**
     * Approves a pending document (the member's latest of its kind; never the reviewer's own). A PAN card carries the
     * PAN the reviewer read on it: it must be the PAN the member entered, which becomes operative for TDS in the same
     * transaction.
     */
    public Uni<DocumentView> approve(long id, UUID reviewerId, String reviewer, ApprovalRequest request) {
        String note = request == null || request.note() == null || request.note().isBlank() ? null : request.note().trim();
        String pan = request == null || request.pan() == null ? null : request.pan().trim().toUpperCase(Locale.ROOT);
        return reviewable(id, reviewerId).chain(document -> {
            if (document.kind() == DocumentKind.PAN) {
                if (pan == null || !PAN.matcher(pan).matches()) {
                    throw ProblemException.invalidField("pan", "is required for a PAN card: the PAN as printed on it (AAAAA9999A)");
                }
            } else if (pan != null) {
                throw ProblemException.invalidField("pan", "goes only with a PAN card");
            }
            return repository.pool().withTransaction(conn -> repository.lockMember(conn, document.distributorId())
                    .chain(() -> repository.decide(conn, id, DocumentStatus.APPROVED, reviewer, note))
                    .call(decided -> {
                        if (decided == null) {
                            throw notPending(document);
                        }
                        return audited(conn, reviewer, "KYC_DOCUMENT_APPROVED", document, decided);
                    })
                    .call(decided -> {
                        if (document.kind() != DocumentKind.PAN) {
                            return Uni.createFrom().voidItem();
                        }
                        return tds.confirmPanFromDocument(conn, document.distributorId(), pan, reviewer).invoke(confirmed -> {
                            if (!confirmed) {
                                throw new ProblemException(ProblemType.CONFLICT, "The PAN read on the card is not the PAN the member entered "
                                        + "in their tax profile; reject the card or ask the member to correct their PAN.");
                            }
                        });
                    }));
        }).chain(decided -> find(decided.id()));
    }

    public Uni<DocumentView> reject(long id, UUID reviewerId, String reviewer, String reason) {
        return reviewable(id, reviewerId).chain(document -> repository.pool().withTransaction(conn -> repository
                .lockMember(conn, document.distributorId())
                .chain(() -> repository.decide(conn, id, DocumentStatus.REJECTED, reviewer, reason.trim()))
                .call(decided -> {
                    if (decided == null) {
                        throw notPending(document);
                    }
                    return audited(conn, reviewer, "KYC_DOCUMENT_REJECTED", document, decided);
                })))
                .chain(decided -> find(decided.id()));
    }

    /** A review decision in the company's audit log, in the decision's own transaction. */
    private Uni<Long> audited(SqlClient conn, String reviewer, String action, Document before, Document after) {
        return audit.record(conn, AuditEvent.of(reviewer, action, AuditSubjects.KYC_DOCUMENT, before.id(), reviewState(before),
                reviewState(after), after.reviewReason()));
    }

    private static Map<String, Object> reviewState(Document document) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("distributorId", document.distributorId());
        state.put("kind", document.kind());
        state.put("status", document.status());
        if (document.reviewedBy() != null) {
            state.put("reviewedBy", document.reviewedBy());
        }
        return state;
    }

    // ---- other modules ----------------------------------------------------------------------------------------------

    @Override
    public Uni<Boolean> complete(long distributorId) {
        return repository.current(repository.pool(), new Long[] { distributorId }, null).map(KycService::isComplete);
    }

    @Override
    public Uni<Set<Long>> completeAmong(SqlClient conn, Collection<Long> distributorIds) {
        if (distributorIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return repository.current(conn, distributorIds.toArray(Long[]::new), null).map(documents -> documents.stream()
                .collect(Collectors.groupingBy(Document::distributorId)).entrySet().stream()
                .filter(member -> isComplete(member.getValue())).map(Map.Entry::getKey).collect(Collectors.toSet()));
    }

    @Override
    public Uni<Map<Long, DocumentSummary>> current(Collection<Long> distributorIds, DocumentKind kind) {
        return repository.current(repository.pool(), distributorIds.toArray(Long[]::new), kind).map(documents -> documents.stream()
                .collect(Collectors.toMap(Document::distributorId, d -> new DocumentSummary(d.id(), d.kind(), d.status(), d.uploadedAt()))));
    }

    // ---- inside -----------------------------------------------------------------------------------------------------

    private Uni<KycStatusView> status(MemberRef member) {
        return Uni.combine().all().unis(repository.current(repository.pool(), new Long[] { member.distributorId() }, null),
                repository.aadhaarLast4(repository.pool(), member.distributorId())).asTuple().map(t -> {
                    List<Document> documents = t.getItem1();
                    Set<DocumentKind> outstanding = EnumSet.allOf(DocumentKind.class);
                    documents.stream().filter(d -> d.status() != DocumentStatus.REJECTED).forEach(d -> outstanding.remove(d.kind()));
                    return new KycStatusView(member.memberCode(), isComplete(documents), t.getItem2() == null ? null : Aadhaar.mask(t.getItem2()),
                            List.copyOf(outstanding), documents.stream().map(d -> view(d, member)).toList());
                });
    }

    private static boolean isComplete(List<Document> current) {
        return current.stream().filter(d -> d.status() == DocumentStatus.APPROVED).map(Document::kind).distinct().count()
                == DocumentKind.values().length;
    }

    private Uni<Content> content(Document document, String reader, String readerRoles, String purpose) {
        return repository.pool().withTransaction(conn -> repository.logRead(conn, document, reader, readerRoles, purpose))
                .chain(() -> blocking(() -> {
                    byte[] plaintext = vault.open(new Vault.Sealed(store.get(document.storageRef()), document.wrappedKey(), document.masterKeyId()),
                            documentBinding(document.distributorId(), document.storageRef()));
                    if (!MessageDigest.isEqual(Hashing.sha256(plaintext), document.sha256())) {
                        throw new ProblemException(ProblemType.DOCUMENT_DAMAGED, "The decrypted document does not match its recorded SHA-256.");
                    }
                    return new Content(plaintext, document.contentType(), document.kind().name().toLowerCase(Locale.ROOT) + "-" + document.id()
                            + "." + ContentTypes.ALLOWED.get(document.contentType()));
                }))
                .onFailure(DocumentStore.MissingDocumentException.class).transform(e -> new ProblemException(ProblemType.DOCUMENT_DAMAGED,
                        "The document's stored file is missing."));
    }

    private Uni<Document> reviewable(long id, UUID reviewerId) {
        return existing(id).chain(document -> members.byIds(List.of(document.distributorId())).map(found -> {
            MemberRef owner = found.get(document.distributorId());
            if (owner != null && reviewerId.equals(owner.userId())) {
                throw new ProblemException(ProblemType.FORBIDDEN, "Nobody reviews their own documents.");
            }
            return document;
        }));
    }

    private static ProblemException notPending(Document document) {
        return new ProblemException(ProblemType.CONFLICT, "Document " + document.id() + " is no longer awaiting review (it was decided "
                + "or a newer " + document.kind() + " document replaced it).");
    }

    private Uni<Document> existing(long id) {
        return repository.find(repository.pool(), id).map(document -> {
            if (document == null) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such document.");
            }
            return document;
        });
    }

    private Uni<List<DocumentView>> views(List<Document> documents) {
        return members.byIds(documents.stream().map(Document::distributorId).distinct().toList())
                .map(found -> documents.stream().map(d -> view(d, found.get(d.distributorId()))).toList());
    }

    private static DocumentView view(Document d, MemberRef member) {
        return new DocumentView(d.id(), member == null ? null : member.memberCode(), d.kind(), d.status(), d.contentType(), d.sizeBytes(),
                HexFormat.of().formatHex(d.sha256()), d.current(), d.uploadedAt(), d.reviewedBy(), d.reviewedAt(), d.reviewReason());
    }

    /** Ciphertext and wrapped key are bound to their member and place: neither decrypts anywhere else. */
    static String documentBinding(long distributorId, String storageRef) {
        return "downline-kyc|document|" + distributorId + "|" + storageRef;
    }

    static String aadhaarBinding(long distributorId) {
        return "downline-kyc|aadhaar|" + distributorId;
    }

    /** A random reference that says nothing about its owner, spread over 256 directories. */
    private static String newReference() {
        String id = UUID.randomUUID().toString();
        return id.substring(0, 2) + "/" + id;
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
