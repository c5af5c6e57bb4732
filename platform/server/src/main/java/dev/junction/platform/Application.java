package dev.junction.platform;

import dev.junction.platform.launch.DatabasePreflight;
import dev.junction.platform.launch.LaunchException;
import dev.junction.platform.launch.LaunchSettings;
import dev.junction.platform.secret.SecretService;
import dev.junction.platform.security.Role;
import dev.junction.platform.security.TokenMinter;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The {@code junction-server.jar} entry point: {@code serve} (the default), {@code token} and
 * {@code rotate-master-key}. Configuration comes from the {@code JUNCTION_*} environment variables.
 */
@Command(name = "junction-server", mixinStandardHelpOptions = true, version = "Junction 0.1.0",
        description = "Junction connector platform.",
        subcommands = {Application.Serve.class, Application.Token.class, Application.RotateMasterKey.class})
public final class Application implements Callable<Integer> {

    /** Exit code of a successful {@code serve}: the JVM keeps running the server. */
    private static final int SERVING = -1;

    public static void main(String[] args) {
        int code = new CommandLine(new Application())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    if (e instanceof LaunchException) {
                        cmd.getErr().println("junction: " + e.getMessage());
                        return 2;
                    }
                    throw e;
                })
                .execute(args);
        if (code != SERVING) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() {
        return new Serve().call();
    }

    static LaunchSettings settings() {
        return LaunchSettings.fromEnvironment(System.getenv(), Path.of("").toAbsolutePath());
    }

    @Command(name = "serve", description = "Run the platform (the default command).")
    static final class Serve implements Callable<Integer> {
        @Override
        public Integer call() {
            LaunchSettings settings = settings();
            settings.requireServer();
            DatabasePreflight.ensureDatabase(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
            ApplicationContext context = Micronaut.build(new String[0])
                    .mainClass(Application.class)
                    .properties(settings.properties())
                    .banner(false)
                    .start();
            if (settings.dev()) {
                printDevBanner(settings, context);
            }
            return SERVING;
        }

        private static void printDevBanner(LaunchSettings settings, ApplicationContext context) {
            String token = new TokenMinter(settings.jwtSecret()).mint("dev-admin",
                    List.of(Role.PLATFORM_ADMIN_NAME), null, Duration.ofHours(12), Instant.now());
            String line = "=".repeat(78);
            System.out.println(line);
            System.out.println("  JUNCTION IS RUNNING IN DEV MODE - NOT FOR PRODUCTION");
            System.out.println("  Local JWT secret and master key: " + settings.devSecretsFile()
                    + " (mode 0600)");
            System.out.println("  Listening on http://localhost:" + settings.port()
                    + "   database: " + settings.dbUrl());
            System.out.println("  Admin token (platform-admin, valid 12 hours):");
            System.out.println();
            System.out.println(token);
            System.out.println();
            System.out.println("  More tokens: java -jar platform/server/target/junction-server.jar token --help");
            System.out.println(line);
        }
    }

    @Command(name = "token", description = "Print a signed token for local use (needs JUNCTION_JWT_SECRET or JUNCTION_DEV=true).")
    static final class Token implements Callable<Integer> {
        @Option(names = "--role", required = true,
                description = "platform-admin, tenant-admin or viewer; repeat for several")
        List<String> roles;

        @Option(names = "--tenant", description = "tenant slug; required for tenant-admin and viewer")
        String tenant;

        @Option(names = "--sub", defaultValue = "cli", description = "subject (default: ${DEFAULT-VALUE})")
        String subject;

        @Option(names = "--ttl", defaultValue = "PT12H", description = "ISO-8601 duration (default: ${DEFAULT-VALUE})")
        Duration ttl;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            for (String r : roles) {
                Role role = Role.fromClaim(r).orElseThrow(() -> new CommandLine.ParameterException(spec.commandLine(),
                        "Unknown role '" + r + "': use platform-admin, tenant-admin or viewer"));
                if (role.isTenantRole() && tenant == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "Role " + r + " needs --tenant <slug>");
                }
            }
            LaunchSettings settings = settings();
            settings.requireTokenSigning();
            spec.commandLine().getOut().println(new TokenMinter(settings.jwtSecret())
                    .mint(subject, roles, tenant, ttl, Instant.now()));
            return 0;
        }
    }

    @Command(name = "rotate-master-key",
            description = "Re-wrap every secret's data key under JUNCTION_MASTER_KEY. Put the old key in "
                    + "JUNCTION_PREVIOUS_MASTER_KEYS first; drop it after this succeeds.")
    static final class RotateMasterKey implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LaunchSettings settings = settings();
            settings.requireServer();
            DatabasePreflight.ensureDatabase(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
            try (ApplicationContext context = ApplicationContext.builder()
                    .properties(settings.properties()).banner(false).start()) {
                SecretService.RewrapReport report = context.getBean(SecretService.class).rewrapAll();
                spec.commandLine().getOut().printf("Re-wrapped %d data key(s) across %d tenant(s); current master key id %s%n",
                        report.rewrapped(), report.tenants(), report.currentKeyId());
                report.unreadable().forEach(u -> spec.commandLine().getErr().println("not re-wrapped: " + u));
                return report.unreadable().isEmpty() ? 0 : 1;
            }
        }
    }
}
