namespace MSSante.Infrastructure;
