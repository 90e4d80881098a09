namespace MSSante.Mime;
