import AxonRuntime

await AxonCommand.start()
