import Foundation
import Testing

/// `accord demo`, the README's first command: it reaches the end of its tour, keeps serving, and
/// stops cleanly on SIGINT, leaving its directory in place.
@Suite("accord demo", .serialized)
struct DemoTests {
    @Test func theDemoTourRunsAndStopsCleanlyOnSigint() throws {
        try withTemporaryDirectory { directory in
            let demo = directory + "/demo"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: AccordBinary.path)
            process.arguments = ["demo", "--records", "300", "--dir", demo]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(120)
            while !text.contains("Serving until Ctrl-C") && Date() < deadline && process.isRunning {
                let chunk = out.fileHandleForReading.availableData
                if chunk.isEmpty { Thread.sleep(forTimeInterval: 0.05) }
                text += String(decoding: chunk, as: UTF8.self)
            }
            #expect(text.contains("Serving until Ctrl-C"), "the tour did not finish: \(text)")
            #expect(text.contains("equal on retail, insurance, webshop, governance"), "\(text)")
            #expect(text.contains("retail     denied : opt-out consent:email:marketing:unit=retail"), "\(text)")
            #expect(text.contains("insurance  allowed: opt-in consent:email:marketing:company"), "\(text)")
            #expect(text.contains("acknowledged by every unit in"), "\(text)")
            #expect(text.contains("token: accord_"), "\(text)")
            #expect(process.isRunning, "the demo keeps serving after its tour")

            kill(process.processIdentifier, SIGINT)
            // Generous: the whole suite runs beside it on two cores.
            let interrupted = Date()
            while process.isRunning && Date().timeIntervalSince(interrupted) < 90 { Thread.sleep(forTimeInterval: 0.05) }
            #expect(!process.isRunning, "SIGINT did not stop the demo within 90 s")
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(text.contains("Stopping."))
            print("accord demo stopped \(String(format: "%.1f", Date().timeIntervalSince(interrupted))) s after SIGINT")
            #expect(FileManager.default.fileExists(atPath: demo + "/retail/node.json"), "the demo removes nothing it made")
        }
    }
}
