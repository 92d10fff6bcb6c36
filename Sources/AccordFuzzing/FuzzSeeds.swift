import AccordCrypto
import AccordLedger
import AccordModel
import AccordSync

/// Valid inputs for each target, made from the real encoders, to start the fuzzers from (libFuzzer
/// mutates them) and for the mutation tests. Deterministic but for salts and signatures.
public enum FuzzSeeds {
    /// Seed inputs for a target.
    /// - Throws: ``AccordCrypto/CryptoError`` when a key or salt cannot be made.
    public static func inputs(for target: FuzzTarget) throws -> [[UInt8]] {
        switch target {
        case .frames: return try frames()
        case .batch: return try batches().map(BatchCodec.encode)
        case .entry: return entries()
        case .policy: return [Array(samplePolicy.utf8), Array(#"{"format":"accord-policy/1"}"#.utf8)]
        case .csv: return [Array(sampleCSV.utf8), Array("id,email\n\"R-1\",\"A@B.DE\"\r\n".utf8)]
        case .jsonl: return [Array(sampleJSONLines.utf8)]
        case .http: return HTTPFuzzing.seeds
        case .segment: return SegmentFuzzing.seeds
        }
    }

    static let unit = UnitID(unchecked: "retail")

    static func write(_ index: Int) -> RecordWrite {
        let record = RecordKey(unchecked: unit, localId: "R-\(index)")
        // Force-try: the attributes are distinct and non-empty, so the write is valid.
        return try! RecordWrite(record: record, hlc: HLC(physicalMillis: 1_000 + UInt64(index), logical: 0), changes: [
            (attribute: AttributeName(unchecked: "email"), value: .set(["a\(index)@example.com", "b\(index)@example.org"])),
            (attribute: AttributeName(unchecked: "given_name"), value: .text("Jürgen")),
            (attribute: AttributeName(unchecked: "city"), value: nil),
            (attribute: AttributeName(unchecked: "consent:email:marketing:company"), value: .consent(ConsentDecision(
                choice: .optOut, expressed: true, decidedAtMillis: 5, method: "web-form", noticeVersion: "v1",
                noticeHash: Array(repeating: 7, count: 32), expiresAtMillis: 9, collectedBy: unit))),
            (attribute: AttributeName(unchecked: "interaction:e1"), value: .interaction(InteractionEvent(
                type: "purchase", channel: "store", atMillis: 3, attributes: ["amount": "9.90"]))),
        ])
    }

    static func batches() throws -> [Batch] {
        let key = try Ed25519PrivateKey.generate()
        let stream = StreamID(unchecked: unit, shareClass: "identity")
        let sealed = try BatchSealer(maxLeaves: 2).seal(
            (0..<3).map { EntryCodec.encode(write($0)) }, continuing: .empty(stream), policyVersion: 1,
            createdAt: HLC(physicalMillis: 2_000, logical: 1), key: key)
        var batches = sealed.map(\.batch)
        batches.append(batches[0].redacting(leafAt: 0))
        return batches
    }

    static func frames() throws -> [[UInt8]] {
        let batches = try batches()
        let head = StreamHead(stream: batches[0].stream, sequence: 1, hash: batches[0].hash)
        let frames: [Frame] = [
            .hello(Frame.Hello(protocolVersion: FrameCodec.protocolVersion, unit: "retail", policyVersion: 3, vector: [head])),
            .batch(batches[0]), .ack(head.stream, sequence: 1), .reject(head.stream, sequence: 2, reason: "gap"),
            .summary([head]), .error(code: "policy", message: "refused"), .ping(nonce: 7), .pong(nonce: 7),
            .policy(document: Array(#"{"format":"accord-policy/1"}"#.utf8)),
        ]
        // One input with every frame in a row, and each frame alone.
        return [frames.flatMap(FrameCodec.encode)] + frames.map(FrameCodec.encode)
    }

    static func entries() -> [[UInt8]] {
        let write = write(1)
        var state = RecordState()
        state.merge(write)
        var value = BinaryWriter(capacity: 64)
        EntryCodec.writeValue(.set(["x", "y"]), to: &value)
        return [[0] + EntryCodec.encode(write), [1] + EntryCodec.encode(state), [2] + value.bytes]
    }

    static let sampleCSV = """
        id,given_name,family_name,birth_date,email,phone,street,postcode,country,segment,iban
        R-1,Jürgen,Müller,03.04.1970,J.Mueller@Example.COM|jm@x.de,0151 2345678,Hauptstr. 5,10115,Germany,premium,DE44500105175407324931
        R-2,"Ada, Lady",Lovelace,1815-12-10,,+44 20 7946 0958,"1 ""Main"" St",,GB,standard,
        """

    static let sampleJSONLines = """
        {"id":"R-1","given_name":"Jürgen","email":["J.Mueller@Example.COM","jm@x.de"],"phone":"0151 2345678"}
        {"id":"R-2","birth_date":"12/10/1815","segment":"business","country":"DEU"}
        """

    static let samplePolicy = """
        {"format":"accord-policy/1","federation":"acme","version":2,"defaults":{"country":"DE","dateOrder":"dayFirst"},
         "clock":{"maxFutureMillis":60000},
         "units":[{"id":"governance","roles":["governance"]},{"id":"retail","roles":["unit"],"lineOfBusiness":"retail"}],
         "shareClasses":[{"name":"identity","audience":"all"},{"name":"consent","audience":["retail","governance"]}],
         "attributes":[{"name":"given_name","type":"name","shareClass":"identity","pii":"direct"},
                       {"name":"segment","type":"enum","allowedValues":["a","b"],"shareClass":"identity","pii":"none"}],
         "consent":{"channels":["email"],"purposes":["marketing"],"shareClass":"consent"},
         "writeRules":[]}
        """
}
