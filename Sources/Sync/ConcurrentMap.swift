import Rooms

/// `transform` applied to every element, at most `limit` at a time, results in the elements' order. The first
/// error cancels the rest and is thrown.
func concurrentlyMapped<Element: Sendable, Result: Sendable>(
    _ elements: [Element], limit: Int, _ transform: @escaping @Sendable (Element) async throws(RoomError) -> Result
) async throws(RoomError) -> [Result] {
    do {
        return try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: elements.count)
            var next = 0
            func startNext() {
                let index = next
                next += 1
                group.addTask { (index, try await transform(elements[index])) }
            }
            while next < min(limit, elements.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < elements.count { startNext() }
            }
            return results.map { $0! }
        }
    } catch let error as RoomError {
        throw error
    } catch {
        throw .cancelled
    }
}
