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
             refusedEntries: try node.store.refusedEntryCount(), erasures: try node.erasureStatuses())
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
        peerMetrics(&out, peers: peers, status: status)
        httpMetrics(&out, request.services.counters)
        return HTTPResponse(status: .ok, headers: ["Content-Type": PrometheusText.contentType], body: Array(out.text.utf8))
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
        var byRoute: [String: HTTPCounters.Series] = [:]
        for (key, series) in snapshot {
            var merged = byRoute[key.route] ?? HTTPCounters.Series()
            merged.count += series.count
            merged.seconds += series.seconds
            for index in merged.buckets.indices { merged.buckets[index] += series.buckets[index] }
            byRoute[key.route] = merged
        }
        for (route, series) in byRoute.sorted(by: { $0.key < $1.key }) {
            for (index, bound) in HTTPCounters.bounds.enumerated() {
                out.sample("accord_http_request_duration_seconds_bucket", [("route", route), ("le", PrometheusText.format(bound))], series.buckets[index])
            }
            out.sample("accord_http_request_duration_seconds_bucket", [("route", route), ("le", "+Inf")], series.count)
            out.sample("accord_http_request_duration_seconds_sum", [("route", route)], series.seconds)
            out.sample("accord_http_request_duration_seconds_count", [("route", route)], series.count)
        }
    }
}
