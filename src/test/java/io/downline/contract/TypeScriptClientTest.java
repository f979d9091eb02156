package io.downline.contract;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The TypeScript client generated from the committed contract (typescript-fetch, execution contract-client-typescript
 * in pom.xml) compiles with {@code tsc --strict}. The compiler is the version pinned in src/test/typescript, installed
 * with npm into target/typescript once and reused while the lock file stays the same.
 */
class TypeScriptClientTest {

    private static final Path CLIENT = Path.of("target/generated-test-sources/ts-client");
    private static final Path PINNED = Path.of("src/test/typescript");
    private static final Path TOOLS = Path.of("target/typescript");

    private record Result(int exit, String output) {
    }

    @Test
    void generatedClientCompilesInStrictMode() throws Exception {
        assertTrue(Files.isRegularFile(CLIENT.resolve("index.ts")),
                "no generated client in " + CLIENT + ": did the openapi-generator execution contract-client-typescript run?");
        Path tsc = installTypeScript();
        Result compiled = run(List.of("node", tsc.toString(), "--project", PINNED.resolve("tsconfig.json").toString()), Path.of("."), 180);
        assertEquals(0, compiled.exit(), "tsc --strict rejects the client generated from openapi/openapi.yaml:\n" + compiled.output());
    }

    private static Path installTypeScript() throws Exception {
        Path tsc = TOOLS.resolve("node_modules/typescript/bin/tsc");
        Path lock = PINNED.resolve("package-lock.json");
        Path installedLock = TOOLS.resolve("package-lock.json");
        if (Files.isRegularFile(tsc) && Files.isRegularFile(installedLock) && Files.mismatch(lock, installedLock) == -1) {
            return tsc;
        }
        Files.createDirectories(TOOLS);
        Files.copy(PINNED.resolve("package.json"), TOOLS.resolve("package.json"), REPLACE_EXISTING);
        Files.copy(lock, installedLock, REPLACE_EXISTING);
        // --prefer-offline: taken from npm's cache when it holds the package, so only a first install needs the registry
        Result installed = run(List.of("npm", "ci", "--prefer-offline", "--no-audit", "--no-fund"), TOOLS, 300);
        assertEquals(0, installed.exit(), "npm could not install the pinned TypeScript compiler:\n" + installed.output());
        return tsc;
    }

    private static Result run(List<String> command, Path directory, int timeoutSeconds) throws IOException, InterruptedException {
        Files.createDirectories(TOOLS);
        Path log = Files.createTempFile(TOOLS, "run", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " is needed to compile the TypeScript client (Node.js 18 or newer with npm)", e);
        }
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return finished ? new Result(process.exitValue(), output)
                : new Result(-1, String.join(" ", command) + " took longer than " + timeoutSeconds + " s\n" + output);
    }
}
