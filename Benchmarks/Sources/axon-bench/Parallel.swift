/// `body(0..<count)`, at most `concurrency` at a time, results in index order; the first failure (by index) is
/// thrown, named by `phase`.
func runInParallel<T: Sendable>(
    count: Int, concurrency: Int, phase: String, _ body: @escaping @Sendable (Int) async throws(BenchError) -> T
) async throws(BenchError) -> [T] {
    let results = await withTaskGroup(of: (Int, Result<T, BenchError>).self) { group in
        var next = 0
        var results: [(Int, Result<T, BenchError>)] = []
        func start() {
            let index = next
            next += 1
            group.addTask {
                do throws(BenchError) { return (index, .success(try await body(index))) } catch { return (index, .failure(error)) }
            }
        }
        while next < min(concurrency, count) { start() }
        while let result = await group.next() {
            results.append(result)
            if next < count { start() }
        }
        return results.sorted { $0.0 < $1.0 }.map(\.1)
    }
    var values: [T] = []
    for result in results {
        do { values.append(try result.get()) } catch { throw .during(phase, error) }
    }
    return values
}
