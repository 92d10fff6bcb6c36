import AccordLedger
import AccordHTTP
import AccordNode
import AccordStore
import Foundation

/// `GET /metrics`: the node's figures in the Prometheus text format, for the viewer role and the
/// unit's systems (a Prometheus server scrapes with a viewer token). No personal data: labels are
/// units, streams, routes, status codes and refusal classes.
enum MetricsRoutes {
    static func metrics(_ request: APIRequest) throws -> HTTPResponse {
        _ = try request.query(allowing: [])
        let peers = request.services.peers()
        let read = try request.read { node in
            (status: try node.status(), authors: try node.store.batchesByAuthor(), refusals: try node.store.refusalReasons(),
             refusedEntries: try node.store.refusedEntryCount(), erasures: try node.erasureStatuses(),
             imports: try node.store.importTotals())
        }
        var out = PrometheusText()
        let status = read.status
        out.family("accord_info", "gauge", "The node's unit and federation (value 1).")
        out.sample("accord_info", [("unit", status.unit), ("federation", status.federation)], 1)
        out.single("accord_policy_version", "gauge", "The version of the policy the node holds.", Double(status.policyVersion))
        out.single("accord_records", "gauge", "Records held (any owner).", Double(status.counts.records))
        out.single("accord_record_states", "gauge", "Record states held (one per record and author).", Double(status.counts.recordStates))
        out.single("accord_database_bytes", "gauge", "Size of the node's SQLite database.", Double(status.databaseBytes))
        out.family("accord_batches", "gauge", "Batches held, by authoring unit (own and applied from peers).")
        for author in read.authors { out.sample("accord_batches", [("author", author.author)], author.batches) }
        out.family("accord_entries", "gauge", "Entries (batch leaves) held, by authoring unit.")
        for author in read.authors { out.sample("accord_entries", [("author", author.author)], author.leaves) }
        out.family("accord_last_batch_timestamp_seconds", "gauge", "When the newest batch of each author was stored here (Unix time).")
        for author in read.authors {
            out.sample("accord_last_batch_timestamp_seconds", [("author", author.author)], Double(author.lastStoredAtMillis) / 1000)
        }
        var refused = Dictionary(uniqueKeysWithValues: RefusalClass.allCases.map { ($0, 0) })
        for refusal in read.refusals { refused[RefusalClass.of(refusal.reason), default: 0] += 1 }
        out.family("accord_refused_batches", "gauge", "Batches this node refused and recorded, by reason class.")
        for reason in RefusalClass.allCases { out.sample("accord_refused_batches", [("reason", reason.rawValue)], refused[reason] ?? 0) }
        out.single("accord_refused_entries", "gauge", "Entries stored redacted, not applied (erased people, past retention).",
                   Double(read.refusedEntries))
        out.family("accord_erasure_requests", "gauge", "Erasure requests, by whether every unit acknowledged them.")
        let pending = read.erasures.filter { !$0.isComplete }.count
        out.sample("accord_erasure_requests", [("state", "pending")], pending)
        out.sample("accord_erasure_requests", [("state", "complete")], read.erasures.count - pending)
        syncMetrics(&out, request.services.engine.counters.snapshot())
        importMetrics(&out, read.imports)
        peerMetrics(&out, peers: peers, status: status)
        httpMetrics(&out, request.services.counters)
        return HTTPResponse(status: .ok, headers: ["Content-Type": PrometheusText.contentType], body: Array(out.text.utf8))
    }

    private static func syncMetrics(_ out: inout PrometheusText, _ sync: SyncCounters.Snapshot) {
        out.family("accord_sync_batches_total", "counter", "Batches peers sent since the node started, by outcome (applied, duplicate, refused).")
        out.sample("accord_sync_batches_total", [("outcome", "applied")], sync.batchesApplied)
        out.sample("accord_sync_batches_total", [("outcome", "duplicate")], sync.batchesDuplicate)
        out.sample("accord_sync_batches_total", [("outcome", "refused")], sync.batchesRefused.values.reduce(0, +))
        out.family("accord_sync_refused_batches_total", "counter", "Batches refused since the node started, by reason class.")
        for reason in RefusalClass.allCases {
            out.sample("accord_sync_refused_batches_total", [("reason", reason.rawValue)], sync.batchesRefused[reason] ?? 0)
        }
        out.family("accord_sync_entries_total", "counter", "Entries of applied batches since the node started: written, or refused and stored redacted.")
        out.sample("accord_sync_entries_total", [("outcome", "applied")], sync.entriesApplied)
        out.sample("accord_sync_entries_total", [("outcome", "refused")], sync.entriesRefused)
        out.family("accord_sync_apply_duration_seconds", "histogram", "Per applied batch, from the start of its check to the commit that made it durable.")
        histogram(&out, "accord_sync_apply_duration_seconds", [], sync.applyLatency)
    }

    private static func importMetrics(_ out: inout PrometheusText, _ imports: ImportTotals) {
        out.single("accord_imports_total", "counter", "Imports that ran to their end (accord import and POST /v1/import).", Double(imports.runs))
        out.family("accord_import_rows_total", "counter", "Rows those imports read, by outcome.")
        out.sample("accord_import_rows_total", [("outcome", "read")], Double(imports.rowsRead))
        out.sample("accord_import_rows_total", [("outcome", "rejected")], Double(imports.rowsRejected))
        out.sample("accord_import_rows_total", [("outcome", "erased_record")], Double(imports.rowsOfErasedRecords))
        out.single("accord_import_records_written_total", "counter", "Records those imports gave new entries.", Double(imports.recordsWritten))
        out.single("accord_import_entries_written_total", "counter", "Entries those imports wrote.", Double(imports.entriesWritten))
    }

    /// One histogram's buckets, sum and count, with `labels` on each sample.
    private static func histogram(_ out: inout PrometheusText, _ name: String, _ labels: [(String, String)], _ histogram: LatencyHistogram) {
        for (index, bound) in LatencyHistogram.bounds.enumerated() {
            out.sample(name + "_bucket", labels + [("le", PrometheusText.format(bound))], histogram.buckets[index])
        }
        out.sample(name + "_bucket", labels + [("le", "+Inf")], histogram.count)
        out.sample(name + "_sum", labels, histogram.seconds)
        out.sample(name + "_count", labels, histogram.count)
    }

    private static func peerMetrics(_ out: inout PrometheusText, peers: [PeerStatus], status: NodeStatus) {
        out.single("accord_peers", "gauge", "Sync peers this node dials or was dialed by.", Double(peers.count))
        out.single("accord_peers_connected", "gauge", "Sync peers with a session up now.", Double(peers.filter(\.connected).count))
        out.family("accord_peer_connected", "gauge", "Whether a sync session with the peer is up (1) or not (0).")
        for peer in peers { out.sample("accord_peer_connected", [("peer", peer.unit)], peer.connected ? 1 : 0) }
        out.family("accord_peer_last_contact_timestamp_seconds", "gauge", "When the peer was last heard from (Unix time; absent: never).")
        for peer in peers where peer.lastContactMillis > 0 {
            out.sample("accord_peer_last_contact_timestamp_seconds", [("peer", peer.unit)], Double(peer.lastContactMillis) / 1000)
        }
        out.family("accord_peer_policy_version", "gauge", "The policy version the peer announced in its last hello.")
        for peer in peers { if let version = peer.policyVersion { out.sample("accord_peer_policy_version", [("peer", peer.unit)], Double(version)) } }
        out.family("accord_peer_lag_batches", "gauge", "Per peer and stream, batches one side holds and the other lacks (direction peer_lacks or we_lack).")
        let ours = Dictionary(status.streams.map { ($0.stream, $0.sequence) }, uniquingKeysWith: max)
        for peer in peers {
            let theirs = Dictionary(peer.vector.map { ($0.stream.description, $0.sequence) }, uniquingKeysWith: max)
            for lag in StreamLag.between(ours: ours, theirs: theirs) {
                out.sample("accord_peer_lag_batches", [("peer", peer.unit), ("stream", lag.stream), ("direction", "peer_lacks")], Double(lag.peerLacks))
                out.sample("accord_peer_lag_batches", [("peer", peer.unit), ("stream", lag.stream), ("direction", "we_lack")], Double(lag.weLack))
            }
        }
    }

    private static func httpMetrics(_ out: inout PrometheusText, _ counters: HTTPCounters) {
        let snapshot = counters.snapshot()
        out.family("accord_http_requests_total", "counter", "HTTPS requests answered since the node started, by route pattern and status code.")
        for (key, series) in snapshot { out.sample("accord_http_requests_total", [("route", key.route), ("code", String(key.status))], series.count) }
        out.family("accord_http_request_duration_seconds", "histogram", "Time from a request's head to its answer, by route pattern.")
        var byRoute: [String: LatencyHistogram] = [:]
        for (key, series) in snapshot { byRoute[key.route, default: LatencyHistogram()].merge(series) }
        for (route, series) in byRoute.sorted(by: { $0.key < $1.key }) {
            histogram(&out, "accord_http_request_duration_seconds", [("route", route)], series)
        }
    }
}
