import AccordCrypto
import AccordImport
import AccordModel
import AccordNode
import AccordPolicy
import AccordSampleData
import AccordStore
import Foundation
// `accord`: the command line of an Accord node. Exit codes: 0 success, 1 failure, 64 usage error.

signal(SIGPIPE, SIG_IGN)

let arguments = Array(CommandLine.arguments.dropFirst())
let status: Int32
do {
    try CLI.run(arguments)
    status = 0
} catch let error as UsageError {
    Output.error("accord: \(error.message)")
    Output.error("Run `accord help` for usage.")
    status = 64
} catch {
    Output.error("accord: \(error)")
    status = 1
}
exit(status)
