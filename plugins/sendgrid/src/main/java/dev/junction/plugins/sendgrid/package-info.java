/** The SendGrid connector plugin. See plugins/sendgrid/README.md. */
package dev.junction.plugins.sendgrid;
