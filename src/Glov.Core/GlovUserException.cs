namespace Glov.Core;

public sealed class GlovUserException(string message, Exception? inner = null) : Exception(message, inner);
