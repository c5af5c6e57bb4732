package dev.junction.platform.security;

import dev.junction.platform.tenancy.TenantId;
import io.micronaut.core.convert.ArgumentConversionContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.bind.binders.TypedRequestArgumentBinder;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;

import java.util.Map;
import java.util.Optional;

/** Binds {@link Caller} controller parameters from the authentication the fetcher resolved. */
@Singleton
final class CallerBinder implements TypedRequestArgumentBinder<Caller> {

    @Override
    public Argument<Caller> argumentType() {
        return Argument.of(Caller.class);
    }

    @Override
    public BindingResult<Caller> bind(ArgumentConversionContext<Caller> context, HttpRequest<?> source) {
        Optional<Authentication> auth = source.getUserPrincipal(Authentication.class);
        if (auth.isEmpty()) {
            return BindingResult.unsatisfied();
        }
        Map<String, Object> a = auth.get().getAttributes();
        Caller.TenantRef tenant = a.get(TenantAwareTokenAuthenticationFetcher.TENANT_ID_ATTRIBUTE) instanceof TenantId id
                ? new Caller.TenantRef(id, (String) a.get(TenantAwareTokenAuthenticationFetcher.TENANT_SLUG_ATTRIBUTE))
                : null;
        Caller caller = new Caller(auth.get().getName(), TenantAwareTokenAuthenticationFetcher.roles(auth.get()),
                tenant, (String) a.get(TenantAwareTokenAuthenticationFetcher.UNKNOWN_TENANT_ATTRIBUTE));
        return () -> Optional.of(caller);
    }
}
