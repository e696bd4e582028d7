import Foundation
import Testing

/// The module table in `docs/ARCHITECTURE.md` is the rule for what each module may import. These tests read it and
/// every `import` under `Sources/`, so an edge the table does not allow fails `make test` instead of growing quietly.
@Suite struct ModuleTableTests {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func everyImportOfOurModulesIsOneTheTableAllows() throws {
        let markdown = try String(contentsOf: Self.root.appendingPathComponent("docs/ARCHITECTURE.md"), encoding: .utf8)
        let table = try ModuleTable(markdown: markdown)
        let sources = Self.root.appendingPathComponent("Sources")
        let modules = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter { !$0.hasPrefix(".") }.sorted()
        var imports: [String: [(file: String, module: String)]] = [:]
        for module in modules {
            imports[module] = try Self.imports(under: sources.appendingPathComponent(module), relativeTo: Self.root)
        }
        let problems = table.problems(modules: Set(modules), imports: imports)
        #expect(problems.isEmpty, "\n\(problems.joined(separator: "\n"))")
    }

    /// The checker itself: a forbidden edge, a missing row, an allowance pointing down the table and a listed module
    /// that does not exist are each reported.
    @Test func theCheckerReportsEachKindOfProblem() throws {
        let table = try ModuleTable(markdown: """
            | layer | module | may import (of ours) | what it holds today |
            |---|---|---|---|
            | 1 | `Low` | — | base types |
            | 2 | `Mid`, `Side` | `Low` | services, `with` code in the description |
            | 3 | `High` | `Mid`, `Top` | routes |
            | 4 | `Top` | `High` | composition |
            | 5 | `Gone` | `Low` | removed |
            """)
        let problems = table.problems(
            modules: ["Low", "Mid", "Side", "High", "Top", "Extra"],
            imports: [
                "Low": [], "Mid": [("Sources/Mid/A.swift", "Low")], "Side": [("Sources/Side/B.swift", "High")],
                "High": [("Sources/High/C.swift", "Mid")], "Top": [("Sources/Top/D.swift", "High")], "Extra": [],
            ]
        )
        #expect(problems.sorted() == [
            "Extra is not in the module table",
            "Sources/Side/B.swift: Side imports High, which its row does not list",
            "the row of High allows Top, which is not above it",
            "the table lists Gone, which is not in Sources",
        ])
    }

    /// Every module named by an `import` line (with any access level or attribute) in the Swift files under `directory`.
    private static func imports(under directory: URL, relativeTo root: URL) throws -> [(file: String, module: String)] {
        guard let files = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        let pattern = try Regex(
            #"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?(\w+)"#
        ).anchorsMatchLineEndings()
        var found: [(file: String, module: String)] = []
        for case let path as String in files where path.hasSuffix(".swift") {
            let text = try String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
            let relative = String(directory.appendingPathComponent(path).path.dropFirst(root.path.count + 1))
            for match in text.matches(of: pattern) {
                if let name = match.output[1].substring { found.append((relative, String(name))) }
            }
        }
        return found
    }
}

/// The rows of the module table: each row's modules, and the modules of ours they may import.
struct ModuleTable {
    struct Row {
        var modules: [String]
        var allowed: Set<String>
    }

    var rows: [Row] = []

    struct Unreadable: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the first table whose header names a `may import` column: the module cell and that cell list names in
    /// backticks; `—` allows nothing.
    init(markdown: String) throws {
        var columns: (module: Int, allowed: Int)?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                if rows.isEmpty { continue } else { break }
            }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast()
                .map { $0.trimmingCharacters(in: .whitespaces) }
            if columns == nil {
                guard let allowed = cells.firstIndex(where: { $0.hasPrefix("may import") }),
                    let module = cells.firstIndex(of: "module")
                else { continue }
                columns = (module, allowed)
                continue
            }
            guard let columns, cells.count > max(columns.module, columns.allowed), !cells[0].hasPrefix("---") else { continue }
            rows.append(Row(modules: Self.names(in: cells[columns.module]), allowed: Set(Self.names(in: cells[columns.allowed]))))
        }
        guard !rows.isEmpty else { throw Unreadable(description: "no module table with a `may import` column") }
    }

    /// What breaks the table: imports it does not allow, modules it omits or lists in vain, allowances pointing down.
    func problems(modules: Set<String>, imports: [String: [(file: String, module: String)]]) -> [String] {
        var problems: [String] = []
        var rowOf: [String: Int] = [:]
        for (index, row) in rows.enumerated() {
            for module in row.modules { rowOf[module] = index }
        }
        for (index, row) in rows.enumerated() {
            for module in row.modules where !modules.contains(module) {
                problems.append("the table lists \(module), which is not in Sources")
            }
            for allowed in row.allowed.sorted() where (rowOf[allowed] ?? Int.max) >= index {
                problems.append("the row of \(row.modules.joined(separator: ", ")) allows \(allowed), which is not above it")
            }
        }
        for module in modules.sorted() {
            guard let index = rowOf[module] else {
                problems.append("\(module) is not in the module table")
                continue
            }
            for (file, imported) in imports[module] ?? [] where imported != module && modules.contains(imported) {
                if !rows[index].allowed.contains(imported) {
                    problems.append("\(file): \(module) imports \(imported), which its row does not list")
                }
            }
        }
        return problems
    }

    private static func names(in cell: String) -> [String] {
        cell.split(separator: "`", omittingEmptySubsequences: false).enumerated().compactMap { index, part in
            index % 2 == 1 ? String(part) : nil
        }
    }
}
