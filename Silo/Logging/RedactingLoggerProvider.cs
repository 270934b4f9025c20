using Microsoft.Extensions.Logging;

namespace OrleansTracker.Silo.Logging;

/// <summary>
/// Wraps the console provider so that every message, every structured value (the JSON format writes
/// them as fields) and every exception text passes <see cref="SecretRedactor"/> first. Wrapping the
/// provider, rather than filtering categories, keeps framework messages useful at debug and trace.
/// </summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    public ILogger CreateLogger(string categoryName) =>
        new RedactingLogger(inner.CreateLogger(categoryName), StartupNoise.MayCome(categoryName) ? categoryName : null);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (inner is ISupportExternalScope scoped)
            scoped.SetScopeProvider(scopeProvider);
    }

    public void Dispose() => inner.Dispose();

    /// <param name="noisyCategory">The category when it may carry <see cref="StartupNoise"/>, else null.</param>
    private sealed class RedactingLogger(ILogger inner, string? noisyCategory) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel))
                return;
            if (noisyCategory is not null && StartupNoise.IsNoise(noisyCategory, eventId, state))
                return;
            var message = SecretRedactor.Redact(formatter(state, exception));
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> structured
                ? structured.Select(p => new KeyValuePair<string, object?>(p.Key, RedactValue(p.Value))).ToList()
                : [];
            var safeException = exception is null || SecretRedactor.Redact(exception.ToString()) == exception.ToString()
                ? exception
                : new RedactedException(exception);
            inner.Log(logLevel, eventId, new RedactedState(message, values), safeException, static (s, _) => s.Message);
        }

        /// <summary>Numbers and flags cannot hold a secret; anything else is written as text, so mask its text.</summary>
        private static object? RedactValue(object? value) => value switch
        {
            null or bool or int or long or short or byte or uint or ulong or ushort or double or float or decimal
                or Enum or DateTime or DateTimeOffset or TimeSpan or Guid => value,
            _ => SecretRedactor.Redact(value.ToString() ?? ""),
        };
    }

    /// <summary>The structured state as the formatters read it: key/value pairs, and the message as its text.</summary>
    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}

/// <summary>An exception whose text held a secret: the formatters print <see cref="ToString"/>, which is masked.</summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;

    public RedactedException(Exception original)
        : base(SecretRedactor.Redact(original?.Message ?? ""))
    {
        ArgumentNullException.ThrowIfNull(original);
        _text = SecretRedactor.Redact(original.ToString());
    }

    public RedactedException()
        : this(new InvalidOperationException())
    {
    }

    public RedactedException(string message)
        : this(new InvalidOperationException(message))
    {
    }

    public RedactedException(string message, Exception innerException)
        : this(new InvalidOperationException(message, innerException))
    {
    }

    public override string ToString() => _text;
}
