namespace MSSante.Mail;
