import AccordFuzzing
import Foundation

// `accord-fuzz`: Accord's fuzz targets in one executable.
//
// Built for libFuzzer (see ops/fuzz.sh):
//   swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -DACCORD_LIBFUZZER --product accord-fuzz
//   ACCORD_FUZZ_TARGET=frames .build/release/accord-fuzz corpus-dir -max_total_time=60
// Built normally, it replays files through a target: `accord-fuzz frames FILE...`.

#if ACCORD_LIBFUZZER
/// The target named by `ACCORD_FUZZ_TARGET`, read once.
private let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["ACCORD_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        FileHandle.standardError.write(Data("accord-fuzz: set ACCORD_FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(64)
    }
    return target
}()

/// libFuzzer's entry point: one input.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget.run(bytes)
    return 0
}
#else
/// Replays files through a target without libFuzzer.
@main
struct FuzzReplay {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        let seeding = arguments.first == "seed"
        if seeding { arguments.removeFirst() }
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name), !seeding || arguments.count == 2 else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(Data("usage: accord-fuzz \(names) FILE...\n       accord-fuzz seed \(names) DIR\n".utf8))
            exit(64)
        }
        if seeding {
            writeSeeds(target, to: arguments[1])
            return
        }
        var count = 0
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("accord-fuzz: cannot read \(path)\n".utf8))
                exit(1)
            }
            target.run([UInt8](data))
            count += 1
        }
        print("accord-fuzz: \(count) inputs through \(target.rawValue), no failure")
    }

    /// Writes the target's seed inputs as files `seed-N` into `directory`.
    static func writeSeeds(_ target: FuzzTarget, to directory: String) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            for (index, seed) in try FuzzSeeds.inputs(for: target).enumerated() {
                try Data(seed).write(to: URL(fileURLWithPath: directory).appendingPathComponent("seed-\(index)"))
            }
        } catch {
            FileHandle.standardError.write(Data("accord-fuzz: cannot write seeds to \(directory): \(error)\n".utf8))
            exit(1)
        }
    }
}
#endif
