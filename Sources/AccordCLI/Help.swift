/// Usage texts.
enum Help {
    static let overview = """
    accord: a node of an Accord federation of customer data.

    Usage: accord <command> [options]

    Commands:
      demo                 A local federation with sample data on 127.0.0.1, no set-up
      serve                Sync with peers over mutual TLS (and serve the HTTPS API) until stopped
      init                 Create a node directory: configuration, policy, signing key, store
      import <file>        Import customer records from CSV or JSON lines
      record show <id>     Show one record with every unit's entries on it
      record put <id> ...  Write attribute values on one of this unit's records
      records              List records
      status               Show the unit, what the node holds and its streams
      digest               Per share class, a digest of the entries the node holds
      rejected             Batches this node refused, and entries it stored redacted, with their reasons
      verify               Check the store: integrity, streams gap-free, linked, signed, fully applied
      sample               Write a CSV of generated customers for a unit (pilots, trials)
      key rotate|draft     Rotate the unit's signing key through a new policy version
      backup <file>        A consistent copy of the store (SQLite online backup), also while serving
      restore <file>       Replace a stopped node's store with a backup, then recover its streams from peers
      peer add|list|remove Manage the peers the node syncs with
      policy ...           Set keys in, sign, check, publish, install, show and diff the federation policy
      unit add <unit>      Governance: add a member (next policy version, its node, publish)
      consent record|check Record a customer's consent decision; check the effective consent
      subject export <who> Access request: everything held on a person, across units, as JSON
      audit                The append-only audit log (consent, exports, policy changes)
      erase <person>       Erase a person (record, email or phone) on every node, with proof
      erase status|list    Per unit: acknowledged when, or pending
      interaction add <id> Record an interaction event (purchase, call, ...) on a record
      retention run        Remove entries past their retention (accord serve does it hourly)
      token create|list|revoke  Bearer tokens of the HTTPS API (accord serve --api-listen)
      profile show|search  Consolidated profiles: golden values with lineage, across units
      review list|accept|reject  Steward review queue: must-link / cannot-link decisions
      match run|train      Recompute the profiles; train the match model (a policy proposal)
      inventory            Per unit and attribute: held, valid, last written, shared with, writers, purposes
      report               The governance dashboard's figures in the terminal (or --json), serving or not
      segment preview|export|save|list|record|figures  Audiences from the profiles, within consent
      version              Print the version
      help [command]       Show help for a command

    Common options:
      --node DIR           The node directory (default: $ACCORD_NODE, else ./accord-node)
      --json               Machine-readable output (where supported)

    Exit codes: 0 success, 1 failure, 64 usage error.
    """

    static func text(for command: String) -> String? {
        switch command {
        case "report": return """
            Usage: accord report [--section federation|quality|consent|consolidation|privacy] [--node DIR] [--json]

            The governance dashboard's figures, from the same computation, on the node directory
            whether the node is serving or not (when it is not, the profiles are brought up to date
            first and peers show as "not a peer": only a serving node knows its sync sessions).
            Without --section: the overview and every section; --section takes one or more names,
            comma-separated. Sections:
              federation     units, online, policy version, lag both ways, last batch, refused batches by reason
              quality        per unit: freshness (STALE past reporting.freshnessHours), duplicate rate; per
                             attribute: completeness and validity (on a sample of about 5,000 records per unit)
              consent        do-not-contact, expiring within 30 days, opt-out and opt-down rates per unit and
                             channel, now and per month, decisions per month, channel shifts
              consolidation  profiles, records per profile, match rate per unit now and when it joined, review backlog
              privacy        erasure requests with each unit's acknowledgement, access requests with due dates
            --json prints one object: context (unit, federation, policyVersion, generatedAt), overview
            and a key per section asked for. Aggregates only: no customer's values or record keys.
            """
        case "inventory": return """
            Usage: accord inventory [--unit U] [--node DIR] [--json]

            The data inventory as this node holds it: per unit (the records it owns) and attribute,
            how many records carry it, the share of values passing the policy's validation today (on
            an even sample of about 5,000 records per unit), when the unit itself last wrote it, its
            share class and the units that receive that class, the units that may write it on the
            unit's records (its authors and write rules), and the consent purposes it is collected
            for (attributes[].purposes in the policy). Then the minimization findings: attributes a
            unit holds whose purposes are not declared or empty. Aggregates only, no record values.
            """
        case "profile": return """
            Usage: accord profile show PROFILE-ID|UNIT/LOCAL_ID|EMAIL|PHONE [--unit U] [--node DIR] [--json]
                   accord profile search [--email E] [--phone P] [--name N] [--limit N] [--node DIR] [--json]

            A profile is the records identity resolution judges to be one person, from every unit
            whose entries this node holds. show prints its records and its golden values, each with
            the survivorship rule that chose it and its lineage (record, author unit, when written),
            the person's effective consent for unit U (default: this node's unit) per channel and
            purpose over every record of the profile, with the reason, and the latest interactions
            across units. --json prints the profile document, byte for byte the same on every node
            holding the same entries under the same policy; with --unit, "consent" and
            "interactions" are added. search lists profiles holding the e-mail address,
            the phone number and every word of the name (all criteria given must match).
            Profiles are brought up to date before reading (accord serve keeps them current).
            """
        case "segment": return """
            Usage: accord segment preview FILTER --channel C --purpose P [--unit U] [--sample N] [--ids-only] [--json]
                   accord segment export FILTER --channel C --purpose P [--unit U] [--format csv|jsonl] [--attributes A,B] [--out FILE]
                   accord segment preview|export --segment NAME [...]
                   accord segment save NAME FILTER --channel C --purpose P [--unit U]
                   accord segment list|record [--json]
                   accord segment figures NAME [--limit N] [--json]
                   accord segment delete NAME

            Selects people from the consolidated profiles with a filter (see README.md, "Segments",
            for the language), for unit U (default: this node's unit), then applies effective consent
            for U, channel C and purpose P: opt-outs, do-not-contact, expired or missing consent and
            people without a contact point for C are excluded, and counted by reason. preview prints
            the counts and a sample; export writes the audience (profile, stage and the attributes U
            may see under the share-class audiences) as CSV or JSON lines; counts go to stderr.
            Exports and previews are written to the audit log (counts and a digest of the filter).
            save keeps a named segment on this node; record evaluates every saved segment and
            stores its figures (audience size, exclusions, cross-opt, opt-down) for the dashboard.
            """
        case "review": return """
            Usage: accord review list [--limit N] [--node DIR] [--json]
                   accord review accept|reject|withdraw PAIR [--steward NAME] [--reason TEXT] [--node DIR] [--json]

            list: candidate pairs scored between the review and the link threshold, in different
            profiles, without a decision; best score first. accept records a must-link, reject a
            cannot-link, withdraw removes the decision (scores decide again). PAIR is a pair id
            from the list (m + 32 hex digits) or two records UNIT/ID,UNIT/ID. A decision is a
            replicated entry in the policy's stewardship class: only the units listed in
            identityResolution.stewardship.stewards may write it, and every node honours it.
            --steward names the person deciding (default: the login name); --reason is a ticket
            or short note (never customer data). Both are audit-logged.
            """
        case "match": return """
            Usage: accord match run [--node DIR] [--json]
                   accord match train --out FILE [--random-pairs N] [--node DIR] [--json]

            run: recompute every profile from the records this node holds (profiles are otherwise
            updated incrementally). train: estimate the match model's m/u parameters on this
            node's own records without labels (expectation-maximization) and write a policy
            proposal to FILE: the node's policy, next version, unsigned, with the parameters in
            identityResolution.parameters. Review it, then sign it with accord policy sign and
            publish it as any policy change.
            """
        case "verify": return """
            Usage: accord verify [--node DIR] [--json]

            Checks everything the store holds: SQLite's integrity check; every stream gap-free
            from #1 to its head, each batch linked to the one before and signed by its author's
            key from the policy; and no batch half-applied (every change of every stored leaf is
            in its author's state on that record). Prints what is wrong, naming streams, batches
            and records, never values. Exits 1 when the store is not sound. Safe while the node
            serves (it reads a consistent snapshot).
            """
        case "sample": return """
            Usage: accord sample --unit UNIT --out FILE [--persons N] [--seed S] [--coverage F] [--noise F] [--json]

            Writes a CSV (id plus 10 attributes: names, birth date, email, phone, address) of
            generated customers as UNIT would hold them, to import with accord import. Units given
            the same --persons (default 1000) and --seed (default 42) share customers: each holds a
            --coverage share of them (default 0.6) with a --noise share of typos, nicknames and
            reformatted values (default 0.1), so their records consolidate into profiles.
            """
        case "key": return """
            Usage: accord key rotate [--node DIR] [--json]
                   accord key draft POLICY_FILE [--node DIR]

            rotate: makes the unit's next signing key (keys/signing.next.pem, mode 0600). The node
              keeps signing with its current key until it holds a policy version that lists the
              next key as the unit's signingKey; from then on it signs with the next key. Run it
              again after that to start the following rotation (the old key is then kept as
              keys/signing.retired-<millis>.pem).
            draft: edits a draft of the next policy version (its version already raised): the
              next key becomes units[].signingKey, the current key moves to
              units[].previousSigningKeys, valid through the draft's version minus one. Publish
              the draft from the governance node (accord policy publish). Every node verifies a
              batch with the key valid for the policy version the batch was written under, so
              batches signed before the rotation stay valid, relayed or re-sent, forever.
            """
        case "backup": return """
            Usage: accord backup FILE [--node DIR] [--json]

            Copies the store into the new file FILE with SQLite's online backup API, in one step,
            so the copy is one committed state, also while accord serve runs and writes. The copy
            is a single SQLite file with mode 0600, written under a temporary name and renamed
            into place when complete. It holds customers' personal data; the signing key
            (keys/) and node.json are not in it: back them up separately, as secrets.
            """
        case "restore": return """
            Usage: accord restore FILE [--node DIR] [--json]
                   accord restore --finish [--node DIR]

            Replaces a stopped node's store with the backup FILE. Refuses a backup of another
            unit, one from a newer schema (an older one is migrated), a file that fails SQLite's
            integrity check, and a node whose accord serve is running. The store that was in
            place is kept as <database>.before-restore-<millis>.

            The unit may have written batches after the backup was taken, and its peers may hold
            them. So a restored node refuses local writes (imports, record put, consent, erasure
            acknowledgements) until accord serve has heard from every configured peer and holds
            every batch of its own streams that any of them announced: peers send a unit its own
            batches like any others it is in the audience of. Then writes continue the streams
            from their recovered heads, no sequence number is reused, and the erasures owed run
            again (also for data erased after the backup was taken). accord status shows the
            progress. --finish ends recovery by hand, when a peer is gone for good.
            """
        case "init": return """
            Usage: accord init --unit UNIT [--policy FILE] [--node DIR]

            Creates a node directory for UNIT: node.json, a copy of the policy, a new Ed25519
            signing key (keys/signing.pem, mode 0600) and an empty store. Without --policy the
            built-in sample policy (federation "acme": governance, retail, insurance, support,
            webshop) is installed. Refuses a directory that already holds a node.
            """
        case "import": return """
            Usage: accord import FILE [--format csv|jsonl] [--map SPEC] [--chunk ROWS] [--node DIR] [--json] [--quiet]
                                [--progress-json]

            Imports customer records. The format follows the file extension (.csv, .jsonl/.ndjson)
            unless --format is given. Columns named like a policy attribute feed it; --map renames:
            "id=customer_no,email=mail,phone=tel" (the key id names the local-id column; default "id").
            Values are normalized (trimmed, emails lower-cased, phones to E.164, dates to ISO) and
            validated against the policy. A row with an invalid field is refused whole and reported
            as "line N, column C: reason". Each chunk of rows is durable before the next is read;
            values the unit already holds are skipped, so an interrupted import can be re-run.
            --chunk sets the rows per transaction (default 16384). --progress-json writes a line
            {"committed":true,"rowsRead":N,"recordsWritten":M} to stderr after each chunk is durable:
            the first N rows of the file are then stored, whatever happens to the process next.
            Exits 1 when any row was refused.
            """
        case "record": return """
            Usage: accord record show LOCAL_ID [--owner UNIT] [--node DIR] [--json]
                   accord record put LOCAL_ID ATTRIBUTE=VALUE... [--node DIR] [--json]

            show: every entry the node holds on the record, with its author and time.
            put: writes values on one of this unit's records (ATTRIBUTE= with no value deletes;
            multi-valued attributes take "a|b").
            """
        case "records": return """
            Usage: accord records [--owner UNIT] [--after LOCAL_ID] [--limit N] [--node DIR] [--json]

            Lists record keys in order, 100 at a time by default.
            """
        case "status": return """
            Usage: accord status [--node DIR] [--json]

            Shows the unit, the policy version, counts of records, batches and refused batches,
            every stream with its last sequence number, the clock and the database size; entries
            stored redacted without being applied, erasure requests still awaiting acknowledgements,
            share classes purged after an audience change; while serving, every peer: connected or
            not, last contact, the policy version it announced in its hello, and its lag per stream.
            """
        case "demo": return """
            Usage: accord demo [--records N] [--units N] [--dir DIR] [--api-listen HOST:PORT] [--exit]

            Builds a local federation of the sample policy on 127.0.0.1, with no set-up: a CA in
            memory, a node per unit (retail, insurance, webshop; --units 2..4 adds support) and one
            for the governance team, each with its certificate, one policy holding every member's
            signing key. Each unit imports its own generated customers (N people, default 2000,
            each unit holding 60% of them with realistic noise); the nodes sync over TLS 1.3 with
            mutual authentication through retail as a hub. The tour then shows: the digests per
            class (equal everywhere), a record as another unit holds it, a consent decision and
            what each unit may do with it (with the reason), an erasure acknowledged by every unit,
            and the governance node's HTTPS API and dashboard (on --api-listen, default a port the
            system picks) with a viewer token; a governance token for the dashboard is written to
            DIR/dashboard-token. The nodes keep serving until Ctrl-C (--exit: stop after the
            tour). Everything stays in DIR (default: a new temporary directory); nothing is removed.
            """
        case "serve": return """
            Usage: accord serve [--node DIR] [--listen HOST:PORT] [--api-listen HOST:PORT]
                                [--log-level debug|info|warning|error]

            Runs the node in the foreground: listens for peers on listen.sync (or --listen; port 0
            lets the system choose and the chosen port is printed), dials the peers in node.json
            (redialing with backoff), and exchanges signed batches over TLS 1.3 with mutual
            authentication. Every batch received is verified before it is applied (signature,
            stream continuity, membership, write rights, audience, validation, clock bound);
            refused batches are recorded with their reason. Late entries of erased people and entries
            past retention are stored redacted and not applied. An erasure request received is carried
            out at once and acknowledged. At start and every hour it carries out the erasures owed and
            applies retention; a policy installed in the node directory by another command (accord
            policy publish or install) is adopted within a second. Logs are JSON lines on stderr.
            SIGINT or SIGTERM stops it cleanly.

            With --api-listen (or listen.api in node.json) it also serves the HTTPS API on that
            address, with the node's certificate: people authenticate with bearer tokens
            (accord token create), the unit's systems with the unit's client certificate.
            The routes are in docs/openapi.json; the README's "HTTPS API" has curl examples.
            The same port serves GET /metrics (Prometheus text; viewer token or the unit's
            certificate) and the governance dashboard at https://HOST:PORT/dashboard (sign in with
            a governance or admin token; README "Dashboard and metrics").
            """
        case "token": return """
            Usage: accord token create --role viewer|steward|admin|governance [--name NAME] [--node DIR] [--json]
                   accord token list [--node DIR] [--json]
                   accord token revoke ID|NAME [--node DIR] [--json]

            Bearer tokens of the HTTPS API. create prints a new token once (accord_...); the node
            stores only its SHA-256, so a lost token cannot be shown again: revoke it and create
            another. NAME (default token-<id>) is unique among live tokens. Roles: viewer reads
            status, digests, refused batches and saved segments' figures; steward also reads and
            writes records, consent and interactions, answers access requests and previews, saves
            and deletes segments; admin also imports, exports segments and reads the audit log; governance reads what a viewer reads and opens the dashboard. list shows ids, names, roles and revocations, never secrets. revoke takes effect
            at the token's next request. Creating and revoking are audit-logged.
            """
        case "policy": return """
            Usage: accord policy set-key POLICY_FILE [--node DIR]
                   accord policy sign POLICY_FILE --node GOVERNANCE_NODE
                   accord policy check POLICY_FILE [--node DIR]
                   accord policy publish POLICY_FILE --node GOVERNANCE_NODE
                   accord policy install POLICY_FILE --node DIR
                   accord policy show [--node DIR] [--json]
                   accord policy diff OLD_FILE NEW_FILE

            set-key: put this node's public signing key into units[].signingKey of the file.
            sign: sign the file as the governance unit of GOVERNANCE_NODE (its key must be the
              unit's signingKey in the file); the signature covers the canonical JSON.
            check: validate (errors name the JSON path), verify the signature, and with --node say
              whether that node would accept it.
            publish: the governance step: on the governance node, sign the file with its key (unless
              its valid signature is on it), check that the node accepts it, and install it. A running
              accord serve adopts it within a second and sends it to every peer; each adopts it if it
              is newer and signed by a governance key of the policy it holds.
            install: replace the node's policy with a newer version signed by a governance key of
              the policy the node holds (a running accord serve adopts it within a second).
            show: the policy the node holds (members with endpoints and certificate identities,
              classes, erasure, retention, legal holds, consent propagation, write rules).
            diff: what changed between two versions.
            """
        case "consent": return """
            Usage: accord consent record LOCAL_ID --channel C --purpose P --decision opt-in|opt-out
                       [--scope unit|line|company] [--frequency F] [--method M] [--notice-version V]
                       [--notice-text FILE] [--expires DATE] [--decided-at TIME] [--implied] [--node DIR]
                   accord consent check LOCAL_ID --channel C --purpose P [--unit U] [--owner U] [--node DIR] [--json]
                   accord consent receipt LOCAL_ID --channel C --purpose P [--unit U] [--owner U] [--node DIR]

            record: records the customer's decision on one of this unit's records, with its evidence
            (how it was collected, the notice version and the SHA-256 of the notice text, when the
            customer decided, expiry). Channel and purpose come from the policy's consent model; `all`
            for both with --scope company is a company-wide do-not-contact.
            check: the effective consent for unit U (default: this node's unit): expired decisions do
            not count; a company-wide do-not-contact overrides everything; of the decisions whose
            scope covers U (its unit, its line of business, the company), the latest wins, and on a
            tie opt-out wins; nothing recorded means denied. Prints allowed or denied, the reason and
            the deciding entry.
            receipt: the deciding decision as a consent receipt (JSON, in the spirit of the Kantara
            Consent Receipt: controller, principal, timestamp, method, notice, purposes, termination).
            """
        case "subject": return """
            Usage: accord subject export PERSON... [--email E] [--phone P] [--record UNIT/ID]
                                         [--owner UNIT] [--out FILE] [--node DIR]

            An access request: everything the node holds on a person, from every unit it may see,
            as JSON. PERSON is a record (unit/localId, or a local id of this unit; with --owner, a
            local id of that unit), an email (has @) or a phone number (starts with +). The person's
            records are those given, those holding one of the given (or the given records') emails
            or phone numbers, and every record consolidated into the same profile; each says how it
            was found. Every value comes with its lineage (record, which unit wrote it, when), the
            consent decisions with their evidence, and the profiles with their golden values. The
            request is recorded in the audit log (naming records, never an email or phone) with a
            due date one month out.
            """
        case "audit": return """
            Usage: accord audit [--action ACTION] [--limit N] [--node DIR] [--json]

            The node's audit log, newest first: who (unit and operator: $ACCORD_OPERATOR, else the
            login name) recorded consent, exported a subject, installed or adopted a policy, when.
            It is append-only: the database refuses to change or delete its entries.
            """
        case "digest": return """
            Usage: accord digest [--node DIR] [--json]

            Prints, per share class, SHA-256 over every entry of that class the node holds, in key
            order. Two nodes that hold the same entries of a class print the same digest for it,
            whatever order the entries arrived in: the convergence check.
            """
        case "erase": return """
            Usage: accord erase PERSON... [--email E] [--phone P] [--record R] [--reference TEXT] [--dry-run] [--node DIR] [--json]
                   accord erase status REQUEST [--node DIR] [--json]
                   accord erase list [--node DIR] [--json]

            Erases a person on every node of the federation, with proof. PERSON is a record
            (unit/localId, or a local id of this unit), an email (it has an @) or a phone number
            (starting with +; national numbers with --phone). The node finds the person's records it
            holds: the records given, and every record holding one of the emails or phone numbers
            given or held on a given record (exact match after normalization; not transitive). It
            writes an erasure request naming those records and the identifiers, the identifiers only
            as salted hashes, and carries it out at once. Every node that receives the request (a
            node that is offline does so when it comes back) removes the person's entries of every
            author (except what a legal hold covers), redacts their leaves in stored batches (which
            still verify), truncates the WAL, keeps salted-hash tombstones, and writes a signed
            acknowledgement. Later entries on an erased record, and entries carrying an erased
            identifier written before the request, are stored redacted and not applied.
            --reference: a ticket or legal reference kept with the request (never personal data).
            --dry-run: show what the request would name, write nothing.
            Only the units the policy's erasure.requesters lists may request.
            status: per member, acknowledged when (with counts and legal holds), or pending.
            list: every request this node holds.
            """
        case "unit": return """
            Usage: accord unit add UNIT --node GOVERNANCE_NODE --out NEW_NODE_DIR
                       [--name N] [--line LINE] [--country CC] [--endpoint HOST:PORT] [--receive CLASS,...]
                       [--requester] [--peer UNIT=HOST:PORT] [--policy-out FILE] [--json]

            On the governance node: drafts the next policy version with UNIT as a member (role unit),
            in the audiences of the listed classes (classes with audience "all" include it anyway),
            creates the new unit's node in NEW_NODE_DIR with its own signing key, puts the key in,
            signs and publishes the
            version (accord policy publish) and gives the new node the signed version as its starting
            policy. A running accord serve of the governance node sends it to every peer. Then issue
            the unit's certificate (ops/add-unit.sh does all of it, the certificate included) and
            start the new node: it starts empty and bootstraps from its peer.
            --requester: the unit may also request erasures. --peer: the new node's first peer.
            """
        case "retention": return """
            Usage: accord retention run [--node DIR] [--json]

            Removes every entry past its retention that no legal hold covers: entries of a share class
            with a retention (policy "retention", days after the entry's clock reading) and interaction
            events past their type's retention (interactions.retentionDays). They are removed from the
            record states and redacted in stored batches (which still verify). Then erases what lifted
            legal holds had kept on erased records. accord serve runs this at start and every hour.
            """
        case "interaction": return """
            Usage: accord interaction add LOCAL_ID --type T --channel C [--at TIME] [--id ID] [KEY=VALUE...] [--node DIR]

            Records an interaction event (append-only) on one of this unit's records. The type must be
            one of the policy's interactions.retentionDays; an event already past its retention is refused.
            """
        case "rejected": return """
            Usage: accord rejected [--limit N] [--node DIR] [--json]

            The batches this node refused, newest first, with the reason (nothing of them was applied),
            and the entries it stored redacted without applying them (late entries of erased people,
            entries past retention), with the batch, the leaf and the reason.
            """
        case "peer": return """
            Usage: accord peer add UNIT [HOST:PORT] [--node DIR]
                   accord peer remove UNIT [--node DIR]
                   accord peer list [--node DIR] [--json]

            The peers the node connects to, kept in node.json. UNIT must be a member in the policy;
            its certificate must name it (SAN URI accord://unit/UNIT). Without HOST:PORT, the unit's
            endpoint in the policy (units[].endpoint).
            """
        default: return nil
        }
    }
}
