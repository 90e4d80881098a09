namespace MSSante.Domain;
