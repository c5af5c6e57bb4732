package dev.junction.platform.security;

import dev.junction.platform.tenancy.TenantDirectory;
import dev.junction.platform.tenancy.TenantId;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.util.HttpHostResolver;
import io.micronaut.http.server.util.locale.HttpLocaleResolver;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.event.TokenValidatedEvent;
import io.micronaut.security.token.TokenAuthenticationFetcher;
import io.micronaut.security.token.reader.TokenResolver;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Bearer-token authentication that also resolves the tenant a call acts on, so that a token for a
 * deleted tenant is unauthenticated (401) on every endpoint, and a platform admin's
 * {@value Caller#TENANT_HEADER} is looked up once. The lookup runs on the blocking executor, never
 * on the event loop.
 */
@Singleton
@Replaces(TokenAuthenticationFetcher.class)
final class TenantAwareTokenAuthenticationFetcher extends TokenAuthenticationFetcher {

    static final String TENANT_ID_ATTRIBUTE = "junction.tenant_id";
    static final String TENANT_SLUG_ATTRIBUTE = "junction.tenant_slug";
    static final String UNKNOWN_TENANT_ATTRIBUTE = "junction.unknown_tenant";

    private final TenantDirectory tenants;
    private final Scheduler blocking;

    TenantAwareTokenAuthenticationFetcher(List<TokenValidator<HttpRequest<?>>> tokenValidators,
                                          TokenResolver<HttpRequest<?>> tokenResolver,
                                          ApplicationEventPublisher<TokenValidatedEvent> publisher,
                                          HttpHostResolver hostResolver, HttpLocaleResolver localeResolver,
                                          TenantDirectory tenants,
                                          @Named(TaskExecutors.BLOCKING) ExecutorService blockingExecutor) {
        super(tokenValidators, tokenResolver, publisher, hostResolver, localeResolver);
        this.tenants = tenants;
        this.blocking = Schedulers.fromExecutorService(blockingExecutor);
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        return Mono.from(super.fetchAuthentication(request))
                .flatMap(auth -> Mono.fromCallable(() -> withTenant(auth, request).orElse(null))
                        .subscribeOn(blocking));
    }

    private Optional<Authentication> withTenant(Authentication auth, HttpRequest<?> request) {
        Set<Role> roles = roles(auth);
        Map<String, Object> attributes = new HashMap<>(auth.getAttributes());
        if (roles.contains(Role.PLATFORM_ADMIN)) {
            request.getHeaders().findFirst(Caller.TENANT_HEADER).map(String::strip).filter(s -> !s.isEmpty())
                    .ifPresent(slug -> tenants.idOfSlug(slug).ifPresentOrElse(
                            id -> putTenant(attributes, id, slug),
                            () -> attributes.put(UNKNOWN_TENANT_ATTRIBUTE, slug)));
        } else if (roles.stream().anyMatch(Role::isTenantRole)) {
            String slug = (String) auth.getAttributes().get(JunctionClaimsValidator.TENANT_CLAIM);
            Optional<TenantId> tenant = tenants.idOfSlug(slug);
            if (tenant.isEmpty()) {
                return Optional.empty(); // the tenant was deleted: the token is no longer valid
            }
            putTenant(attributes, tenant.get(), slug);
        }
        return Optional.of(Authentication.build(auth.getName(), auth.getRoles(), attributes));
    }

    private static void putTenant(Map<String, Object> attributes, TenantId id, String slug) {
        attributes.put(TENANT_ID_ATTRIBUTE, id);
        attributes.put(TENANT_SLUG_ATTRIBUTE, slug);
    }

    static Set<Role> roles(Authentication auth) {
        Set<Role> roles = new LinkedHashSet<>();
        auth.getRoles().forEach(r -> Role.fromClaim(r).ifPresent(roles::add));
        return roles;
    }
}
