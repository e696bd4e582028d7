import AxonRuntime
import MatrixHTTP

await WorkerCommand.main(role: .media)
