<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>QDialog</name>
    <message>
        <source>any</source>
        <translation>beliebig</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>Use the system&apos;s language when it is translated, else English</source>
        <translation>Die Sprache des Systems verwenden, wenn sie übersetzt ist, sonst Englisch</translation>
    </message>
    <message>
        <source>Show the workstation in %1 from the next start</source>
        <translation>Die Arbeitsstation ab dem nächsten Start auf %1 anzeigen</translation>
    </message>
    <message>
        <source>The language changes at the next start of the workstation.</source>
        <translation>Die Sprache ändert sich beim nächsten Start der Arbeitsstation.</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>PRIOR — %1 — %2</source>
        <translation>VORAUFNAHME — %1 — %2</translation>
    </message>
    <message numerus="yes">
        <source>Too many failed attempts: wait %n s before trying again.</source>
        <translation>
            <numerusform>Zu viele Fehlversuche: %n Sekunde warten, dann erneut versuchen.</numerusform>
            <numerusform>Zu viele Fehlversuche: %n Sekunden warten, dann erneut versuchen.</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 (built-in)</source>
        <translation>%1 (integriert)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
</context>
<context>
    <name>RoleHints</name>
    <message>
        <source>admin</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>radiologist</source>
        <translation>Radiologe</translation>
    </message>
    <message>
        <source>no role</source>
        <translation>keine Rolle</translation>
    </message>
    <message>
        <source>Signing needs the radiologist role; %1 has: %2</source>
        <translation>Signieren erfordert die Rolle Radiologe; %1 hat: %2</translation>
    </message>
    <message>
        <source>%1 needs the admin role; %2 has: %3</source>
        <translation>%1 erfordert die Rolle Administrator; %2 hat: %3</translation>
    </message>
</context>
<context>
    <name>fedmrg</name>
    <message>
        <source>FedMRG Workstation: open chest X-ray studies, draft, edit and sign reports.
Generated reports are drafts; a radiologist reviews and signs every report.

Demo mode creates or opens a demo site whose passphrase is &quot;fedmrg-demo-passphrase&quot;
and whose user is &quot;demo&quot; / &quot;demo-password&quot;. Never keep real data in a demo site.</source>
        <translation>FedMRG-Arbeitsstation: Thorax-Röntgenuntersuchungen öffnen, Berichte entwerfen, bearbeiten und signieren.
Erzeugte Berichte sind Entwürfe; ein Radiologe prüft und signiert jeden Bericht.

Der Demo-Modus erstellt oder öffnet einen Demo-Standort mit der Passphrase &quot;fedmrg-demo-passphrase&quot;
und dem Benutzer &quot;demo&quot; / &quot;demo-password&quot;. Niemals echte Daten in einem Demo-Standort speichern.</translation>
    </message>
    <message>
        <source>Site folder (default: the user&apos;s data folder).</source>
        <translation>Standortordner (Standard: der Datenordner des Benutzers).</translation>
    </message>
    <message>
        <source>Open or create a demo site in DIR (demo passphrase, demo user).</source>
        <translation>Einen Demo-Standort in DIR öffnen oder anlegen (Demo-Passphrase, Demo-Benutzer).</translation>
    </message>
    <message>
        <source>Report model folder for drafts (default: $FEDMRG_MODEL_DIR, else &lt;site&gt;/model when it exists, else the installed default model, &lt;prefix&gt;/share/fedmrg/models/default).</source>
        <translation>Ordner des Berichtsmodells für Entwürfe (Standard: $FEDMRG_MODEL_DIR, sonst &lt;site&gt;/model, wenn vorhanden, sonst das installierte Standardmodell, &lt;prefix&gt;/share/fedmrg/models/default).</translation>
    </message>
    <message>
        <source>Import DICOM files, folders or a DICOMDIR at start (repeatable).</source>
        <translation>DICOM-Dateien, -Ordner oder ein DICOMDIR beim Start importieren (wiederholbar).</translation>
    </message>
    <message>
        <source>Save a PNG of the main window once the first study&apos;s image has rendered.</source>
        <translation>Ein PNG des Hauptfensters speichern, sobald das erste Bild der Untersuchung dargestellt ist.</translation>
    </message>
    <message>
        <source>Benchmark: open the site&apos;s studies N times, print selection-to-rendered times, exit.</source>
        <translation>Benchmark: die Untersuchungen des Standorts N-mal öffnen, die Zeiten von der Auswahl bis zur Darstellung ausgeben, beenden.</translation>
    </message>
    <message>
        <source>DICOM files or folders to import once the site is open; the first one&apos;s study is opened.</source>
        <translation>DICOM-Dateien oder -Ordner, die nach dem Öffnen des Standorts importiert werden; die Untersuchung der ersten wird geöffnet.</translation>
    </message>
    <message>
        <source>the demo site has no study to show; pass --import DICOM_DIR</source>
        <translation>der Demo-Standort hat keine Untersuchung zum Anzeigen; --import DICOM_DIR angeben</translation>
    </message>
    <message>
        <source>the image did not render within 20 s</source>
        <translation>das Bild wurde nicht innerhalb von 20 s dargestellt</translation>
    </message>
    <message>
        <source>cannot write the screenshot %1</source>
        <translation>das Bildschirmfoto %1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>no display. The workstation needs X (the image view uses OpenGL); on a machine without one,
run it under Xvfb: xvfb-run -a -s &quot;-screen 0 1600x1000x24&quot; fedmrg ...</source>
        <translation>keine Anzeige. Die Arbeitsstation braucht X (die Bildansicht verwendet OpenGL); auf einem Rechner ohne X
unter Xvfb starten: xvfb-run -a -s &quot;-screen 0 1600x1000x24&quot; fedmrg ...</translation>
    </message>
    <message>
        <source>FedMRG Workstation</source>
        <translation>FedMRG-Arbeitsstation</translation>
    </message>
    <message>
        <source>The site could not be opened: %1</source>
        <translation>Der Standort konnte nicht geöffnet werden: %1</translation>
    </message>
    <message>
        <source>Exit after saving the screenshot(s).</source>
        <translation>Nach dem Speichern der Bildschirmfotos beenden.</translation>
    </message>
    <message>
        <source>Demo: take part in the local demo federation in DIR (scripts/demo-federation.sh): its coordinator, the demo site&apos;s certificates, every round.</source>
        <translation>Demo: an der lokalen Demo-Föderation in DIR teilnehmen (scripts/demo-federation.sh): ihr Koordinator, die Zertifikate des Demo-Standorts, jede Runde.</translation>
    </message>
    <message>
        <source>Demo: sign a few of FL-MRG-Synth&apos;s reference reports (reports.jsonl) of imported studies final, so that background training starts soon (repeatable).</source>
        <translation>Demo: einige Referenzbefunde von FL-MRG-Synth (reports.jsonl) importierter Untersuchungen endgültig signieren, damit das Hintergrundtraining bald beginnt (wiederholbar).</translation>
    </message>
    <message>
        <source>Also save a PNG of the main window once background training is a fifth of the way through a run.</source>
        <translation>Außerdem ein PNG des Hauptfensters speichern, sobald das Hintergrundtraining ein Fünftel eines Laufs erreicht hat.</translation>
    </message>
    <message>
        <source>Also save a PNG of the federation panel&apos;s status once the site recorded a round.</source>
        <translation>Außerdem ein PNG des Status im Föderationsfenster speichern, sobald der Standort eine Runde aufgezeichnet hat.</translation>
    </message>
    <message>
        <source>Seconds each of those screenshots waits for its event before it shoots what there is (default 600).</source>
        <translation>Sekunden, die jedes dieser Bildschirmfotos auf sein Ereignis wartet, bevor es aufnimmt, was zu sehen ist (Standard 600).</translation>
    </message>
    <message>
        <source>Signed %1 synthetic reference reports final for the demo</source>
        <translation>%1 synthetische Referenzbefunde für die Demo endgültig signiert</translation>
    </message>
    <message>
        <source>--screenshot-wait: &apos;%1&apos; is not a number of seconds</source>
        <translation>--screenshot-wait: „%1“ ist keine Anzahl von Sekunden</translation>
    </message>
    <message>
        <source>Background training reported no step within %1 s (%2 signed reports pending); the screenshot shows the status bar as it is</source>
        <translation>Das Hintergrundtraining hat innerhalb von %1 s keinen Schritt gemeldet (%2 signierte Befunde ausstehend); das Bildschirmfoto zeigt die Statusleiste, wie sie ist</translation>
    </message>
    <message>
        <source>The site recorded no federation round within %1 s; the panel shows the coordinator&apos;s state without the site&apos;s bytes</source>
        <translation>Der Standort hat innerhalb von %1 s keine Föderationsrunde aufgezeichnet; das Fenster zeigt den Zustand des Koordinators ohne die Bytes des Standorts</translation>
    </message>
    <message>
        <source>the federation panel did not open (%1)</source>
        <translation>das Föderationsfenster wurde nicht geöffnet (%1)</translation>
    </message>
    <message>
        <source>The site made no gate decision on a new global version within %1 s; the panel shows its state as it is</source>
        <translation>Der Standort hat innerhalb von %1 s über keine neue globale Version entschieden; das Fenster zeigt seinen Zustand, wie er ist</translation>
    </message>
</context>
<context>
    <name>fedmrg::app::WorklistFilter</name>
    <message>
        <source>The open study: listed although the search or the status filter hides it</source>
        <translation>Die geöffnete Untersuchung: aufgeführt, obwohl die Suche oder der Statusfilter sie ausblendet</translation>
    </message>
</context>
<context>
    <name>fedmrg::app::WorklistModel</name>
    <message>
        <source>Earlier studies of the same patient (same ID, or same name and birth date)</source>
        <translation>Frühere Untersuchungen desselben Patienten (gleiche ID oder gleicher Name und Geburtsdatum)</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <source>Body part</source>
        <translation>Körperregion</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Priors</source>
        <translation>Voraufnahmen</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ActionHints</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::AuditLogDialog</name>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>This study</source>
        <translation>Diese Untersuchung</translation>
    </message>
    <message>
        <source>All studies</source>
        <translation>Alle Untersuchungen</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>alle Benutzer</translation>
    </message>
    <message>
        <source>system</source>
        <translation>System</translation>
    </message>
    <message>
        <source>any action</source>
        <translation>jede Aktion</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>patient name or ID, accession, detail</source>
        <translation>Patientenname oder -ID, Zugangsnummer, Detail</translation>
    </message>
    <message>
        <source>Studies</source>
        <translation>Untersuchungen</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Study</source>
        <translation>Untersuchung</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Save the entries shown as a CSV file</source>
        <translation>Die angezeigten Einträge als CSV-Datei speichern</translation>
    </message>
    <message>
        <source>Close the audit log (Esc)</source>
        <translation>Das Audit-Protokoll schließen (Esc)</translation>
    </message>
    <message>
        <source>Open a study to read its audit log.</source>
        <translation>Eine Untersuchung öffnen, um ihr Audit-Protokoll zu lesen.</translation>
    </message>
    <message>
        <source>The newest %1 entries; narrow the filter to see older ones.</source>
        <translation>Die neuesten %1 Einträge; den Filter einschränken, um ältere zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n Eintrag</numerusform>
            <numerusform>%n Einträge</numerusform>
        </translation>
    </message>
    <message>
        <source>Export the audit log</source>
        <translation>Das Audit-Protokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries to %1.</source>
        <translation>
            <numerusform>%n Eintrag nach %1 exportiert.</numerusform>
            <numerusform>%n Einträge nach %1 exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the audit entries of all studies</source>
        <translation>Das Lesen der Audit-Einträge aller Untersuchungen</translation>
    </message>
    <message>
        <source>Exporting the audit log</source>
        <translation>Das Exportieren des Audit-Protokolls</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FederationPanel</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>Die Datei auswählen</translation>
    </message>
    <message>
        <source>Federation</source>
        <translation>Föderation</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Participation</source>
        <translation>Teilnahme</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Model versions</source>
        <translation>Modellversionen</translation>
    </message>
    <message>
        <source>host:port, e.g. coordinator.example.org:50051</source>
        <translation>Host:Port, z. B. coordinator.example.org:50051</translation>
    </message>
    <message>
        <source>The consortium coordinator&apos;s address</source>
        <translation>Die Adresse des Koordinators des Konsortiums</translation>
    </message>
    <message>
        <source>Coordinator:</source>
        <translation>Koordinator:</translation>
    </message>
    <message>
        <source>CA certificate:</source>
        <translation>CA-Zertifikat:</translation>
    </message>
    <message>
        <source>The consortium CA&apos;s certificate (PEM)</source>
        <translation>Das Zertifikat der CA des Konsortiums (PEM)</translation>
    </message>
    <message>
        <source>Site certificate:</source>
        <translation>Standortzertifikat:</translation>
    </message>
    <message>
        <source>This site&apos;s certificate (PEM)</source>
        <translation>Das Zertifikat dieses Standorts (PEM)</translation>
    </message>
    <message>
        <source>Site private key:</source>
        <translation>Privater Schlüssel des Standorts:</translation>
    </message>
    <message>
        <source>This site&apos;s private key (PEM)</source>
        <translation>Der private Schlüssel dieses Standorts (PEM)</translation>
    </message>
    <message>
        <source>&amp;Import certificates</source>
        <translation>Zertifikate &amp;importieren</translation>
    </message>
    <message>
        <source>Check the three files (key matches certificate, signed by the CA, not expired) and keep private copies in the site folder</source>
        <translation>Die drei Dateien prüfen (Schlüssel passt zum Zertifikat, von der CA signiert, nicht abgelaufen) und private Kopien im Standortordner ablegen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Ask the coordinator for its status over mutual TLS</source>
        <translation>Den Koordinator über gegenseitiges TLS nach seinem Status fragen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Store the address and the participation settings</source>
        <translation>Die Adresse und die Teilnahmeeinstellungen speichern</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>Register this site with the coordinator</source>
        <translation>Diesen Standort beim Koordinator registrieren</translation>
    </message>
    <message>
        <source>&amp;Leave</source>
        <translation>&amp;Austreten</translation>
    </message>
    <message>
        <source>Stop taking part in rounds (the coordinator keeps the site&apos;s registration)</source>
        <translation>Nicht mehr an Runden teilnehmen (der Koordinator behält die Registrierung des Standorts)</translation>
    </message>
    <message>
        <source>Membership:</source>
        <translation>Mitgliedschaft:</translation>
    </message>
    <message>
        <source>Approve each round</source>
        <translation>Jede Runde freigeben</translation>
    </message>
    <message>
        <source>Take part in every round</source>
        <translation>An jeder Runde teilnehmen</translation>
    </message>
    <message>
        <source>Whether the site trains and uploads for each round by itself</source>
        <translation>Ob der Standort für jede Runde selbstständig trainiert und hochlädt</translation>
    </message>
    <message>
        <source>Rounds:</source>
        <translation>Runden:</translation>
    </message>
    <message>
        <source>First hour (local time) the site may train and sync</source>
        <translation>Erste Stunde (Ortszeit), in der der Standort trainieren und synchronisieren darf</translation>
    </message>
    <message>
        <source>Hour (local time) training and syncing stop; before the first hour: overnight</source>
        <translation>Stunde (Ortszeit), zu der Training und Synchronisation enden; vor der ersten Stunde: über Nacht</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Schedule (hours):</source>
        <translation>Zeitplan (Stunden):</translation>
    </message>
    <message>
        <source> kbit/s</source>
        <translation> kbit/s</translation>
    </message>
    <message>
        <source>no cap</source>
        <translation>keine Begrenzung</translation>
    </message>
    <message>
        <source>Upload and download cap; 0: no cap</source>
        <translation>Begrenzung für Upload und Download; 0: keine Begrenzung</translation>
    </message>
    <message>
        <source>Bandwidth cap:</source>
        <translation>Bandbreitenbegrenzung:</translation>
    </message>
    <message>
        <source>Take part only in rounds with central differential privacy</source>
        <translation>Nur an Runden mit zentraler Differential Privacy teilnehmen</translation>
    </message>
    <message>
        <source>The coordinator clips each update and adds noise to the mean; a site cannot add it alone</source>
        <translation>Der Koordinator beschneidet jedes Update und fügt dem Mittelwert Rauschen hinzu; ein Standort kann sie nicht allein hinzufügen</translation>
    </message>
    <message>
        <source>Privacy:</source>
        <translation>Datenschutz:</translation>
    </message>
    <message>
        <source>&amp;Approve round</source>
        <translation>Runde &amp;freigeben</translation>
    </message>
    <message>
        <source>Allow this round&apos;s training and upload (with &apos;Approve each round&apos;)</source>
        <translation>Training und Upload dieser Runde erlauben (bei „Jede Runde freigeben“)</translation>
    </message>
    <message>
        <source>Approval:</source>
        <translation>Freigabe:</translation>
    </message>
    <message>
        <source>Current round:</source>
        <translation>Aktuelle Runde:</translation>
    </message>
    <message>
        <source>Last sync:</source>
        <translation>Letzte Synchronisation:</translation>
    </message>
    <message>
        <source>Global model version:</source>
        <translation>Globale Modellversion:</translation>
    </message>
    <message>
        <source>Bytes per round</source>
        <translation>Bytes pro Runde</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Origin</source>
        <translation>Herkunft</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Gate</source>
        <translation>Qualitätsprüfung</translation>
    </message>
    <message>
        <source>CE-F1 (held back)</source>
        <translation>CE-F1 (zurückgehaltene Daten)</translation>
    </message>
    <message>
        <source>Drafting</source>
        <translation>Für Entwürfe</translation>
    </message>
    <message>
        <source>&amp;Use for drafts</source>
        <translation>Für &amp;Entwürfe verwenden</translation>
    </message>
    <message>
        <source>Make the selected version the one drafts use (logged)</source>
        <translation>Die ausgewählte Version für Entwürfe verwenden (protokolliert)</translation>
    </message>
    <message>
        <source>&amp;Roll back</source>
        <translation>Zu&amp;rückrollen</translation>
    </message>
    <message>
        <source>Return to the version used before the current one (logged)</source>
        <translation>Zur Version zurückkehren, die vor der aktuellen verwendet wurde (protokolliert)</translation>
    </message>
    <message>
        <source>joined</source>
        <translation>beigetreten</translation>
    </message>
    <message>
        <source>not joined</source>
        <translation>nicht beigetreten</translation>
    </message>
    <message>
        <source>site %1, valid until %2</source>
        <translation>Standort %1, gültig bis %2</translation>
    </message>
    <message>
        <source>no certificates imported</source>
        <translation>keine Zertifikate importiert</translation>
    </message>
    <message>
        <source>unknown (no answer from the coordinator yet)</source>
        <translation>unbekannt (noch keine Antwort vom Koordinator)</translation>
    </message>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>round %1 (%2)</source>
        <translation>Runde %1 (%2)</translation>
    </message>
    <message>
        <source>The coordinator runs central differential privacy.</source>
        <translation>Der Koordinator verwendet zentrale Differential Privacy.</translation>
    </message>
    <message>
        <source>The coordinator did not say it runs central differential privacy.</source>
        <translation>Der Koordinator hat nicht angegeben, dass er zentrale Differential Privacy verwendet.</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message>
        <source>Round</source>
        <translation>Runde</translation>
    </message>
    <message>
        <source>KiB</source>
        <translation>KiB</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>nicht geprüft</translation>
    </message>
    <message>
        <source>%1 on %2 reports</source>
        <translation>%1 bei %2 Berichten</translation>
    </message>
    <message>
        <source>not scored</source>
        <translation>nicht bewertet</translation>
    </message>
    <message>
        <source>active</source>
        <translation>aktiv</translation>
    </message>
    <message>
        <source>Certificates checked and imported.</source>
        <translation>Zertifikate geprüft und importiert.</translation>
    </message>
    <message>
        <source>Federation settings saved.</source>
        <translation>Föderationseinstellungen gespeichert.</translation>
    </message>
    <message>
        <source>Asking the coordinator…</source>
        <translation>Koordinator wird abgefragt…</translation>
    </message>
    <message>
        <source>Joined the federation.</source>
        <translation>Der Föderation beigetreten.</translation>
    </message>
    <message>
        <source>Left the federation: the site takes part in no further round.</source>
        <translation>Aus der Föderation ausgetreten: der Standort nimmt an keiner weiteren Runde teil.</translation>
    </message>
    <message>
        <source>Round %1 approved.</source>
        <translation>Runde %1 freigegeben.</translation>
    </message>
    <message>
        <source>Select a model version first.</source>
        <translation>Zuerst eine Modellversion auswählen.</translation>
    </message>
    <message>
        <source>Drafts now use v%1.</source>
        <translation>Entwürfe verwenden jetzt v%1.</translation>
    </message>
    <message>
        <source>Rolled back: drafts now use %1.</source>
        <translation>Zurückgerollt: Entwürfe verwenden jetzt %1.</translation>
    </message>
    <message>
        <source>not taking part</source>
        <translation>nimmt nicht teil</translation>
    </message>
    <message>
        <source>waiting for a round</source>
        <translation>wartet auf eine Runde</translation>
    </message>
    <message>
        <source>waiting for your approval</source>
        <translation>wartet auf Ihre Freigabe</translation>
    </message>
    <message>
        <source>sitting this round out</source>
        <translation>setzt diese Runde aus</translation>
    </message>
    <message>
        <source>training</source>
        <translation>trainiert</translation>
    </message>
    <message>
        <source>uploading</source>
        <translation>lädt hoch</translation>
    </message>
    <message>
        <source>downloading the global version</source>
        <translation>lädt die globale Version herunter</translation>
    </message>
    <message>
        <source>checking the new version on held-back reports</source>
        <translation>prüft die neue Version an zurückgehaltenen Befunden</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>not running in this window</source>
        <translation>läuft nicht in diesem Fenster</translation>
    </message>
    <message>
        <source>Appro&amp;ve this round</source>
        <translation>Diese Runde frei&amp;geben</translation>
    </message>
    <message>
        <source>Allow the round the site waits on to train and upload (logged)</source>
        <translation>Der Runde, auf die der Standort wartet, Training und Upload erlauben (protokolliert)</translation>
    </message>
    <message>
        <source>This site:</source>
        <translation>Dieser Standort:</translation>
    </message>
    <message>
        <source>Last new version:</source>
        <translation>Letzte neue Version:</translation>
    </message>
    <message>
        <source>%1, round %2</source>
        <translation>%1, Runde %2</translation>
    </message>
    <message>
        <source>, step %1 of %2</source>
        <translation>, Schritt %1 von %2</translation>
    </message>
    <message>
        <source>: %1</source>
        <translation>: %1</translation>
    </message>
    <message>
        <source>Appro&amp;ve round %1</source>
        <translation>Runde %1 frei&amp;geben</translation>
    </message>
    <message>
        <source>none yet</source>
        <translation>noch keine</translation>
    </message>
    <message>
        <source>No round waits for approval.</source>
        <translation>Keine Runde wartet auf Freigabe.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FindingChip</name>
    <message>
        <source>Click or Space: blank, positive, negative, uncertain. P / N / U: positive / negative / uncertain, Delete: blank, arrows: next chip, Esc: back to the text</source>
        <translation>Klick oder Leertaste: leer, positiv, negativ, unsicher. P / N / U: positiv / negativ / unsicher, Entf: leer, Pfeiltasten: nächster Chip, Esc: zurück zum Text</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::FindingText</name>
    <message>
        <source>No Finding</source>
        <translation>Kein Befund</translation>
    </message>
    <message>
        <source>Enlarged Cardiomediastinum</source>
        <translation>Verbreitertes Kardiomediastinum</translation>
    </message>
    <message>
        <source>Cardiomegaly</source>
        <translation>Kardiomegalie</translation>
    </message>
    <message>
        <source>Lung Lesion</source>
        <translation>Lungenläsion</translation>
    </message>
    <message>
        <source>Lung Opacity</source>
        <translation>Lungenverschattung</translation>
    </message>
    <message>
        <source>Edema</source>
        <translation>Ödem</translation>
    </message>
    <message>
        <source>Consolidation</source>
        <translation>Konsolidierung</translation>
    </message>
    <message>
        <source>Pneumonia</source>
        <translation>Pneumonie</translation>
    </message>
    <message>
        <source>Atelectasis</source>
        <translation>Atelektase</translation>
    </message>
    <message>
        <source>Pneumothorax</source>
        <translation>Pneumothorax</translation>
    </message>
    <message>
        <source>Pleural Effusion</source>
        <translation>Pleuraerguss</translation>
    </message>
    <message>
        <source>Pleural Other</source>
        <translation>Pleura, sonstige</translation>
    </message>
    <message>
        <source>Fracture</source>
        <translation>Fraktur</translation>
    </message>
    <message>
        <source>Support Devices</source>
        <translation>Fremdmaterial</translation>
    </message>
    <message>
        <source>blank</source>
        <translation>leer</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>positiv</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>negativ</translation>
    </message>
    <message>
        <source>uncertain</source>
        <translation>unsicher</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ImageViewer</name>
    <message>
        <source>Image viewer</source>
        <translation>Bildbetrachter</translation>
    </message>
    <message>
        <source>W %1  L %2%3
Zoom %4%</source>
        <translation>W %1  L %2%3
Zoom %4%</translation>
    </message>
    <message>
        <source>  inverted</source>
        <translation>  invertiert</translation>
    </message>
    <message>
        <source>%1 x %2 px
%3 x %4 mm/px%5</source>
        <translation>%1 x %2 px
%3 x %4 mm/px%5</translation>
    </message>
    <message>
        <source> (imager)</source>
        <translation> (Detektor)</translation>
    </message>
    <message>
        <source>%1 x %2 px
no pixel spacing</source>
        <translation>%1 x %2 px
kein Pixelabstand</translation>
    </message>
    <message>
        <source>%1 stored measurement(s) cannot be shown: %2</source>
        <translation>%1 gespeicherte Messung(en) können nicht angezeigt werden: %2</translation>
    </message>
    <message>
        <source>Measurements could not be read: %1</source>
        <translation>Die Messungen konnten nicht gelesen werden: %1</translation>
    </message>
    <message>
        <source>The measurement was not saved: %1</source>
        <translation>Die Messung wurde nicht gespeichert: %1</translation>
    </message>
    <message>
        <source>The measurement was not removed: %1</source>
        <translation>Die Messung wurde nicht entfernt: %1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::LoginDialog</name>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Sign in to %1.</source>
        <translation>Bei %1 anmelden.</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Falscher Benutzername oder falsches Passwort.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::MainWindow</name>
    <message>
        <source>move in the worklist: the study under the cursor opens</source>
        <translation>in der Arbeitsliste bewegen: die Untersuchung unter dem Cursor wird geöffnet</translation>
    </message>
    <message>
        <source>next / previous study, wherever the focus is (unsaved text is kept)</source>
        <translation>nächste / vorherige Untersuchung, wo immer der Fokus ist (ungespeicherter Text bleibt erhalten)</translation>
    </message>
    <message>
        <source>search the worklist</source>
        <translation>die Arbeitsliste durchsuchen</translation>
    </message>
    <message>
        <source>import files / a folder (or drop them on the window)</source>
        <translation>Dateien / einen Ordner importieren (oder auf das Fenster ziehen)</translation>
    </message>
    <message>
        <source>the last import&apos;s report</source>
        <translation>der Bericht des letzten Imports</translation>
    </message>
    <message>
        <source>users and roles (administrators)</source>
        <translation>Benutzer und Rollen (Administratoren)</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>beenden</translation>
    </message>
    <message>
        <source>window / level (right: wider, down: darker, for MONOCHROME1 too)</source>
        <translation>Fenster / Level (rechts: breiter, unten: dunkler, auch für MONOCHROME1)</translation>
    </message>
    <message>
        <source>pan</source>
        <translation>verschieben</translation>
    </message>
    <message>
        <source>zoom</source>
        <translation>zoomen</translation>
    </message>
    <message>
        <source>presets: lung, mediastinum, bone (anywhere; 1 / 2 / 3 in the viewer)</source>
        <translation>Voreinstellungen: Lunge, Mediastinum, Knochen (überall; 1 / 2 / 3 im Bildbetrachter)</translation>
    </message>
    <message>
        <source>invert (anywhere; I in the viewer)</source>
        <translation>invertieren (überall; I im Bildbetrachter)</translation>
    </message>
    <message>
        <source>overlays on / off (anywhere; O in the viewer)</source>
        <translation>Einblendungen ein / aus (überall; O im Bildbetrachter)</translation>
    </message>
    <message>
        <source>fit the image to the view (anywhere; F in the viewer)</source>
        <translation>das Bild an die Ansicht anpassen (überall; F im Bildbetrachter)</translation>
    </message>
    <message>
        <source>reset window, zoom and pan (anywhere; R in the viewer)</source>
        <translation>Fenster, Zoom und Verschiebung zurücksetzen (überall; R im Bildbetrachter)</translation>
    </message>
    <message>
        <source>actual pixels (1:1): one image pixel on one screen pixel</source>
        <translation>Originalpixel (1:1): ein Bildpixel auf einem Bildschirmpixel</translation>
    </message>
    <message>
        <source>measure a distance / an angle / the cardiothoracic ratio (then click on the image)</source>
        <translation>eine Strecke / einen Winkel / den Herz-Thorax-Quotienten messen (dann auf das Bild klicken)</translation>
    </message>
    <message>
        <source>in the viewer: cancel the measurement in progress / remove the selected or last one</source>
        <translation>im Bildbetrachter: laufende Messung abbrechen / die ausgewählte oder letzte entfernen</translation>
    </message>
    <message>
        <source>insert the image&apos;s measurements into the report&apos;s findings</source>
        <translation>die Messungen des Bildes in den Befund des Berichts einfügen</translation>
    </message>
    <message>
        <source>the prior study side by side on / off</source>
        <translation>die Voraufnahme nebeneinander ein / aus</translation>
    </message>
    <message>
        <source>the prior&apos;s signed report (Copy to COMPARISON)</source>
        <translation>der signierte Bericht der Voraufnahme (In COMPARISON übernehmen)</translation>
    </message>
    <message>
        <source>generate a draft</source>
        <translation>einen Entwurf erstellen</translation>
    </message>
    <message>
        <source>save the report</source>
        <translation>den Bericht speichern</translation>
    </message>
    <message>
        <source>sign preliminary / final</source>
        <translation>vorläufig / endgültig signieren</translation>
    </message>
    <message>
        <source>sign final and open the next study still to sign</source>
        <translation>endgültig signieren und die nächste noch zu signierende Untersuchung öffnen</translation>
    </message>
    <message>
        <source>insert a template: type to filter, Enter inserts</source>
        <translation>eine Vorlage einfügen: tippen zum Filtern, Eingabe fügt ein</translation>
    </message>
    <message>
        <source>insert the normal chest macro</source>
        <translation>den Thorax-Normalbefund einfügen</translation>
    </message>
    <message>
        <source>manage your templates</source>
        <translation>die eigenen Vorlagen verwalten</translation>
    </message>
    <message>
        <source>to the chips: Space cycles, P / N / U positive / negative / uncertain, Delete blank, arrows move, Esc back</source>
        <translation>zu den Chips: Leertaste wechselt, P / N / U positiv / negativ / unsicher, Entf leer, Pfeiltasten bewegen, Esc zurück</translation>
    </message>
    <message>
        <source>undo in the text (also a draft or a template, with the chips it set)</source>
        <translation>im Text rückgängig machen (auch einen Entwurf oder eine Vorlage, mit den gesetzten Chips)</translation>
    </message>
    <message>
        <source>add an addendum to the final report</source>
        <translation>einen Nachtrag zum endgültigen Bericht hinzufügen</translation>
    </message>
    <message>
        <source>export the final report as DICOM SR</source>
        <translation>den endgültigen Bericht als DICOM SR exportieren</translation>
    </message>
    <message>
        <source>versions and differences</source>
        <translation>Versionen und Unterschiede</translation>
    </message>
    <message>
        <source>audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>the PACS query panel on / off (search, retrieve into the worklist)</source>
        <translation>die PACS-Abfrage ein / aus (suchen, in die Arbeitsliste abrufen)</translation>
    </message>
    <message>
        <source>send the final report to the PACS</source>
        <translation>den endgültigen Bericht an das PACS senden</translation>
    </message>
    <message>
        <source>retry the reports waiting for the PACS now</source>
        <translation>die auf das PACS wartenden Berichte jetzt erneut senden</translation>
    </message>
    <message>
        <source>PACS settings</source>
        <translation>PACS-Einstellungen</translation>
    </message>
    <message>
        <source>this list</source>
        <translation>diese Liste</translation>
    </message>
    <message>
        <source>new</source>
        <translation>neu</translation>
    </message>
    <message>
        <source>draft</source>
        <translation>Entwurf</translation>
    </message>
    <message>
        <source>preliminary</source>
        <translation>vorläufig</translation>
    </message>
    <message>
        <source>final</source>
        <translation>endgültig</translation>
    </message>
    <message>
        <source>FedMRG Workstation — %1 — %2</source>
        <translation>FedMRG-Arbeitsstation — %1 — %2</translation>
    </message>
    <message>
        <source>Search patient, ID, description…</source>
        <translation>Patient, ID, Beschreibung suchen…</translation>
    </message>
    <message>
        <source>All statuses</source>
        <translation>Alle Status</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Import &amp;files…</source>
        <translation>&amp;Dateien importieren…</translation>
    </message>
    <message>
        <source>Ctrl+O</source>
        <translation>Ctrl+O</translation>
    </message>
    <message>
        <source>Import DICOM files or a DICOMDIR</source>
        <translation>DICOM-Dateien oder ein DICOMDIR importieren</translation>
    </message>
    <message>
        <source>Import f&amp;older…</source>
        <translation>&amp;Ordner importieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Import a DICOM folder</source>
        <translation>Einen DICOM-Ordner importieren</translation>
    </message>
    <message>
        <source>Last import &amp;report</source>
        <translation>Letzter &amp;Importbericht</translation>
    </message>
    <message>
        <source>Ctrl+Shift+I</source>
        <translation>Ctrl+Shift+I</translation>
    </message>
    <message>
        <source>&amp;Users…</source>
        <translation>Ben&amp;utzer…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+U</source>
        <translation>Ctrl+Shift+U</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Worklist</source>
        <translation>&amp;Arbeitsliste</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>&amp;Next study</source>
        <translation>&amp;Nächste Untersuchung</translation>
    </message>
    <message>
        <source>Alt+Down</source>
        <translation>Alt+Down</translation>
    </message>
    <message>
        <source>&amp;Previous study</source>
        <translation>&amp;Vorherige Untersuchung</translation>
    </message>
    <message>
        <source>Alt+Up</source>
        <translation>Alt+Up</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>A&amp;nsicht</translation>
    </message>
    <message>
        <source>Lung preset</source>
        <translation>Voreinstellung Lunge</translation>
    </message>
    <message>
        <source>Alt+1</source>
        <translation>Alt+1</translation>
    </message>
    <message>
        <source>Mediastinum preset</source>
        <translation>Voreinstellung Mediastinum</translation>
    </message>
    <message>
        <source>Alt+2</source>
        <translation>Alt+2</translation>
    </message>
    <message>
        <source>Bone preset</source>
        <translation>Voreinstellung Knochen</translation>
    </message>
    <message>
        <source>Alt+3</source>
        <translation>Alt+3</translation>
    </message>
    <message>
        <source>Fit to the view</source>
        <translation>An die Ansicht anpassen</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>Reset window and view</source>
        <translation>Fenster und Ansicht zurücksetzen</translation>
    </message>
    <message>
        <source>Alt+0</source>
        <translation>Alt+0</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>Invertieren</translation>
    </message>
    <message>
        <source>Alt+I</source>
        <translation>Alt+I</translation>
    </message>
    <message>
        <source>Overlays</source>
        <translation>Einblendungen</translation>
    </message>
    <message>
        <source>Alt+O</source>
        <translation>Alt+O</translation>
    </message>
    <message>
        <source>&amp;Prior side by side</source>
        <translation>&amp;Voraufnahme daneben</translation>
    </message>
    <message>
        <source>Alt+P</source>
        <translation>Alt+P</translation>
    </message>
    <message>
        <source>This study has no prior.</source>
        <translation>Diese Untersuchung hat keine Voraufnahme.</translation>
    </message>
    <message>
        <source>Actual pixels (1:1)</source>
        <translation>Originalpixel (1:1)</translation>
    </message>
    <message>
        <source>Ctrl+1</source>
        <translation>Ctrl+1</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Shortcuts</source>
        <translation>&amp;Tastenkürzel</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>About FedMRG</source>
        <translation>Über FedMRG</translation>
    </message>
    <message>
        <source>FedMRG Workstation. Generated reports are drafts: a radiologist reviews and signs every report.</source>
        <translation>FedMRG-Arbeitsstation. Erzeugte Berichte sind Entwürfe: ein Radiologe prüft und signiert jeden Bericht.</translation>
    </message>
    <message>
        <source>The program and what its drafts are</source>
        <translation>Das Programm und was seine Entwürfe sind</translation>
    </message>
    <message>
        <source>&amp;Measure</source>
        <translation>&amp;Messen</translation>
    </message>
    <message>
        <source>&amp;Distance</source>
        <translation>&amp;Strecke</translation>
    </message>
    <message>
        <source>Alt+D</source>
        <translation>Alt+D</translation>
    </message>
    <message>
        <source>&amp;Angle</source>
        <translation>&amp;Winkel</translation>
    </message>
    <message>
        <source>Alt+A</source>
        <translation>Alt+A</translation>
    </message>
    <message>
        <source>&amp;Cardiothoracic ratio</source>
        <translation>&amp;Herz-Thorax-Quotient</translation>
    </message>
    <message>
        <source>Alt+C</source>
        <translation>Alt+C</translation>
    </message>
    <message>
        <source>Cancel measurement</source>
        <translation>Messung abbrechen</translation>
    </message>
    <message>
        <source>Remove measurement</source>
        <translation>Messung entfernen</translation>
    </message>
    <message>
        <source>&amp;Insert measurements into report</source>
        <translation>Messungen in den Bericht &amp;einfügen</translation>
    </message>
    <message>
        <source>Ctrl+Alt+M</source>
        <translation>Ctrl+Alt+M</translation>
    </message>
    <message>
        <source>The image has no measurements.</source>
        <translation>Das Bild hat keine Messungen.</translation>
    </message>
    <message>
        <source>The report cannot be edited: the measurements were not inserted.</source>
        <translation>Der Bericht kann nicht bearbeitet werden: die Messungen wurden nicht eingefügt.</translation>
    </message>
    <message>
        <source>&amp;Report</source>
        <translation>&amp;Bericht</translation>
    </message>
    <message>
        <source>&amp;Generate draft</source>
        <translation>&amp;Entwurf erstellen</translation>
    </message>
    <message>
        <source>Ctrl+G</source>
        <translation>Ctrl+G</translation>
    </message>
    <message>
        <source>No draft now: no study is open, the report is final, or a draft is running.</source>
        <translation>Jetzt kein Entwurf: keine Untersuchung geöffnet, der Bericht ist endgültig, oder ein Entwurf läuft.</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Sign &amp;preliminary</source>
        <translation>&amp;Vorläufig signieren</translation>
    </message>
    <message>
        <source>Ctrl+Shift+P</source>
        <translation>Ctrl+Shift+P</translation>
    </message>
    <message>
        <source>Sign &amp;final</source>
        <translation>En&amp;dgültig signieren</translation>
    </message>
    <message>
        <source>Ctrl+Shift+F</source>
        <translation>Ctrl+Shift+F</translation>
    </message>
    <message>
        <source>Sign final and open &amp;next</source>
        <translation>Endgültig signieren und &amp;nächste öffnen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Return</source>
        <translation>Ctrl+Shift+Return</translation>
    </message>
    <message>
        <source>Insert &amp;template…</source>
        <translation>Vor&amp;lage einfügen…</translation>
    </message>
    <message>
        <source>Ctrl+T</source>
        <translation>Ctrl+T</translation>
    </message>
    <message>
        <source>Insert n&amp;ormal chest</source>
        <translation>N&amp;ormalbefund Thorax einfügen</translation>
    </message>
    <message>
        <source>Ctrl+Alt+N</source>
        <translation>Ctrl+Alt+N</translation>
    </message>
    <message>
        <source>&amp;Manage templates…</source>
        <translation>Vorlagen ver&amp;walten…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+T</source>
        <translation>Ctrl+Shift+T</translation>
    </message>
    <message>
        <source>&amp;Chips (keyboard)</source>
        <translation>&amp;Chips (Tastatur)</translation>
    </message>
    <message>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <source>Only a final report takes an addendum or is exported as SR.</source>
        <translation>Nur ein endgültiger Bericht erhält einen Nachtrag oder wird als SR exportiert.</translation>
    </message>
    <message>
        <source>&amp;Addendum…</source>
        <translation>Nach&amp;trag…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+D</source>
        <translation>Ctrl+Shift+D</translation>
    </message>
    <message>
        <source>&amp;Export SR…</source>
        <translation>SR e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Versions and differences</source>
        <translation>Versionen und &amp;Unterschiede</translation>
    </message>
    <message>
        <source>Ctrl+Shift+H</source>
        <translation>Ctrl+Shift+H</translation>
    </message>
    <message>
        <source>A&amp;udit log</source>
        <translation>Audit-&amp;Protokoll</translation>
    </message>
    <message>
        <source>Ctrl+Shift+L</source>
        <translation>Ctrl+Shift+L</translation>
    </message>
    <message>
        <source>&amp;Prior report…</source>
        <translation>Bericht der Vo&amp;raufnahme…</translation>
    </message>
    <message>
        <source>Alt+Shift+P</source>
        <translation>Alt+Shift+P</translation>
    </message>
    <message>
        <source>This is the last study in the worklist.</source>
        <translation>Dies ist die letzte Untersuchung in der Arbeitsliste.</translation>
    </message>
    <message>
        <source>This is the first study in the worklist.</source>
        <translation>Dies ist die erste Untersuchung in der Arbeitsliste.</translation>
    </message>
    <message>
        <source>Not signed: a draft is being generated.</source>
        <translation>Nicht signiert: ein Entwurf wird gerade erstellt.</translation>
    </message>
    <message>
        <source>Signed. No study left to sign in the worklist.</source>
        <translation>Signiert. In der Arbeitsliste ist keine Untersuchung mehr zu signieren.</translation>
    </message>
    <message>
        <source>Open a study to insert a template.</source>
        <translation>Eine Untersuchung öffnen, um eine Vorlage einzufügen.</translation>
    </message>
    <message>
        <source>Open a study to insert the normal macro.</source>
        <translation>Eine Untersuchung öffnen, um den Normalbefund einzufügen.</translation>
    </message>
    <message>
        <source>%1 studies — new %2, draft %3, preliminary %4, final %5</source>
        <translation>%1 Untersuchungen — neu %2, Entwurf %3, vorläufig %4, endgültig %5</translation>
    </message>
    <message>
        <source>Importing DICOM files…</source>
        <translation>DICOM-Dateien werden importiert…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Imported %1 images (%2 duplicates, %3 errors)%4</source>
        <translation>%1 Bilder importiert (%2 Duplikate, %3 Fehler)%4</translation>
    </message>
    <message>
        <source>, cancelled</source>
        <translation>, abgebrochen</translation>
    </message>
    <message>
        <source>Import report</source>
        <translation>Importbericht</translation>
    </message>
    <message>
        <source>%1 files scanned: %2 imported, %3 duplicates, %4 errors%5</source>
        <translation>%1 Dateien gelesen: %2 importiert, %3 Duplikate, %4 Fehler%5</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation> (abgebrochen)</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>The study has no images.</source>
        <translation>Die Untersuchung hat keine Bilder.</translation>
    </message>
    <message>
        <source>The unsaved report text could not be kept, so the study stays open: %1</source>
        <translation>Der ungespeicherte Berichtstext konnte nicht gesichert werden, daher bleibt die Untersuchung geöffnet: %1</translation>
    </message>
    <message>
        <source>Shortcuts</source>
        <translation>Tastenkürzel</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Tasten</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Aktion</translation>
    </message>
    <message>
        <source>Managing users</source>
        <translation>Die Benutzerverwaltung</translation>
    </message>
    <message>
        <source>the federation panel (administrators)</source>
        <translation>das Föderationsfenster (Administratoren)</translation>
    </message>
    <message>
        <source>&amp;Federation…</source>
        <translation>&amp;Föderation…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+F</source>
        <translation>Ctrl+Alt+F</translation>
    </message>
    <message>
        <source>Coordinator, certificates, rounds and model versions (administrators)</source>
        <translation>Koordinator, Zertifikate, Runden und Modellversionen (Administratoren)</translation>
    </message>
    <message>
        <source>Signed reports waiting for training: %1</source>
        <translation>Signierte Berichte, die auf das Training warten: %1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::MeasurementOverlay</name>
    <message>
        <source>Distance: click the first end</source>
        <translation>Strecke: auf das erste Ende klicken</translation>
    </message>
    <message>
        <source>Distance: click the second end</source>
        <translation>Strecke: auf das zweite Ende klicken</translation>
    </message>
    <message>
        <source>Angle: click a point on the first arm</source>
        <translation>Winkel: auf einen Punkt des ersten Schenkels klicken</translation>
    </message>
    <message>
        <source>Angle: click the vertex</source>
        <translation>Winkel: auf den Scheitelpunkt klicken</translation>
    </message>
    <message>
        <source>Angle: click a point on the second arm</source>
        <translation>Winkel: auf einen Punkt des zweiten Schenkels klicken</translation>
    </message>
    <message>
        <source>CTR: click the heart&apos;s left and right borders (%1 of 2)</source>
        <translation>HTQ: auf den linken und rechten Herzrand klicken (%1 von 2)</translation>
    </message>
    <message>
        <source>CTR: click the thorax&apos;s left and right inner margins (%1 of 2)</source>
        <translation>HTQ: auf den linken und rechten inneren Thoraxrand klicken (%1 von 2)</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsQueryPanel</name>
    <message>
        <source>e.g. DOE^J*</source>
        <translation>z. B. DOE^J*</translation>
    </message>
    <message>
        <source>Study date from</source>
        <translation>Untersuchungsdatum von</translation>
    </message>
    <message>
        <source>Any</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suchen</translation>
    </message>
    <message>
        <source>Retrieve</source>
        <translation>Abrufen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Ask the chosen PACS for the studies that match the fields above</source>
        <translation>Das gewählte PACS nach den Untersuchungen fragen, die zu den Feldern oben passen</translation>
    </message>
    <message>
        <source>Copy the selected studies from the PACS into the worklist</source>
        <translation>Die ausgewählten Untersuchungen aus dem PACS in die Arbeitsliste kopieren</translation>
    </message>
    <message>
        <source>Stop the search or retrieval in progress</source>
        <translation>Die laufende Suche oder den laufenden Abruf beenden</translation>
    </message>
    <message>
        <source>Retrieve results in the background</source>
        <translation>Ergebnisse im Hintergrund abrufen</translation>
    </message>
    <message>
        <source>After each search, retrieve every listed study that is not in the worklist yet, so that it opens at once.</source>
        <translation>Nach jeder Suche jede aufgeführte Untersuchung abrufen, die noch nicht in der Arbeitsliste ist, damit sie sofort öffnet.</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>Patient</translation>
    </message>
    <message>
        <source>Patient ID</source>
        <translation>Patienten-ID</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Datum</translation>
    </message>
    <message>
        <source>Modality</source>
        <translation>Modalität</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Beschreibung</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Bilder</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>PACS</source>
        <translation>PACS</translation>
    </message>
    <message>
        <source>Patient name</source>
        <translation>Patientenname</translation>
    </message>
    <message>
        <source>Accession</source>
        <translation>Zugangsnummer</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>No PACS node is set up: an administrator adds one in PACS settings.</source>
        <translation>Kein PACS-Knoten eingerichtet: ein Administrator fügt einen in den PACS-Einstellungen hinzu.</translation>
    </message>
    <message>
        <source>The first date is after the last one.</source>
        <translation>Das erste Datum liegt nach dem letzten.</translation>
    </message>
    <message>
        <source>Searching %1…</source>
        <translation>Suche in %1…</translation>
    </message>
    <message>
        <source>Search cancelled; studies so far: %1.</source>
        <translation>Suche abgebrochen; bisher gefundene Untersuchungen: %1.</translation>
    </message>
    <message>
        <source>Studies found: %1.</source>
        <translation>Gefundene Untersuchungen: %1.</translation>
    </message>
    <message>
        <source>In worklist</source>
        <translation>In der Arbeitsliste</translation>
    </message>
    <message>
        <source>Select the studies to retrieve.</source>
        <translation>Die abzurufenden Untersuchungen auswählen.</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Retrieving studies: %1…</source>
        <translation>Untersuchungen werden abgerufen: %1…</translation>
    </message>
    <message>
        <source>Retrieving…</source>
        <translation>Wird abgerufen…</translation>
    </message>
    <message>
        <source>%1 of %2 images</source>
        <translation>%1 von %2 Bildern</translation>
    </message>
    <message>
        <source>%1 images</source>
        <translation>%1 Bilder</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Cancelled (%1 images kept)</source>
        <translation>Abgebrochen (%1 Bilder behalten)</translation>
    </message>
    <message>
        <source> — not imported: %1 (%2)</source>
        <translation> — nicht importiert: %1 (%2)</translation>
    </message>
    <message>
        <source>Studies retrieved: %1 (images: %2).</source>
        <translation>Abgerufene Untersuchungen: %1 (Bilder: %2).</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Failed: %1 (%2)</source>
        <translation>Fehlgeschlagen: %1 (%2)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>Search only the studies between the two dates; unticked, any date</source>
        <translation>Nur die Untersuchungen zwischen den beiden Daten suchen; nicht angehakt: jedes Datum</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsSender</name>
    <message>
        <source>The report was not queued for the PACS: %1</source>
        <translation>Der Bericht wurde nicht für das PACS eingereiht: %1</translation>
    </message>
    <message>
        <source>Reports stored on the PACS: %1.</source>
        <translation>Im PACS gespeicherte Berichte: %1.</translation>
    </message>
    <message>
        <source>PACS: sending…</source>
        <translation>PACS: wird gesendet…</translation>
    </message>
    <message>
        <source>PACS: reports waiting: %1</source>
        <translation>PACS: wartende Berichte: %1</translation>
    </message>
    <message>
        <source> (sending…)</source>
        <translation> (wird gesendet…)</translation>
    </message>
    <message>
        <source>Next try at %1.</source>
        <translation>Nächster Versuch um %1.</translation>
    </message>
    <message>
        <source>Last failure: %1</source>
        <translation>Letzter Fehler: %1</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsSettingsDialog</name>
    <message>
        <source>PACS settings</source>
        <translation>PACS-Einstellungen</translation>
    </message>
    <message>
        <source>C-GET (the images come back on the query&apos;s connection)</source>
        <translation>C-GET (die Bilder kommen über die Verbindung der Abfrage)</translation>
    </message>
    <message>
        <source>C-MOVE (the PACS sends them to this workstation&apos;s port)</source>
        <translation>C-MOVE (das PACS sendet sie an den Port dieser Arbeitsstation)</translation>
    </message>
    <message>
        <source>Default node: signed reports are sent here</source>
        <translation>Standardknoten: signierte Berichte werden hierher gesendet</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>&amp;Save node</source>
        <translation>Knoten &amp;speichern</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>Send each signed final report and addendum to the default node as DICOM SR</source>
        <translation>Jeden signierten endgültigen Bericht und Nachtrag als DICOM SR an den Standardknoten senden</translation>
    </message>
    <message>
        <source>Save &amp;workstation</source>
        <translation>&amp;Arbeitsstation speichern</translation>
    </message>
    <message>
        <source>Empty the fields for a new PACS node (Alt+N)</source>
        <translation>Die Felder für einen neuen PACS-Knoten leeren (Alt+N)</translation>
    </message>
    <message>
        <source>Keep the node&apos;s fields (Alt+S)</source>
        <translation>Die Felder des Knotens speichern (Alt+S)</translation>
    </message>
    <message>
        <source>Remove the selected node (Alt+R)</source>
        <translation>Den ausgewählten Knoten entfernen (Alt+E)</translation>
    </message>
    <message>
        <source>Send a C-ECHO to the node and say whether it answered (Alt+T)</source>
        <translation>Ein C-ECHO an den Knoten senden und melden, ob er geantwortet hat (Alt+T)</translation>
    </message>
    <message>
        <source>Keep this workstation&apos;s own AE title and port (Alt+W)</source>
        <translation>AE-Titel und Port dieser Arbeitsstation speichern (Alt+A)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>AE title</source>
        <translation>AE-Titel</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Retrieve by</source>
        <translation>Abruf über</translation>
    </message>
    <message>
        <source>PACS nodes</source>
        <translation>PACS-Knoten</translation>
    </message>
    <message>
        <source>Storage port (C-MOVE)</source>
        <translation>Empfangsport (C-MOVE)</translation>
    </message>
    <message>
        <source>This workstation</source>
        <translation>Diese Arbeitsstation</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation> (Standard)</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Removed.</source>
        <translation>Entfernt.</translation>
    </message>
    <message>
        <source>Workstation saved.</source>
        <translation>Arbeitsstation gespeichert.</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>%1 wird getestet…</translation>
    </message>
    <message>
        <source>Connection OK: %1 (%2) answered the C-ECHO in %3 ms.</source>
        <translation>Verbindung in Ordnung: %1 (%2) hat das C-ECHO in %3 ms beantwortet.</translation>
    </message>
    <message>
        <source>Connection failed: %1</source>
        <translation>Verbindung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>The node that receives the signed reports; one node at most</source>
        <translation>Der Knoten, der die signierten Berichte empfängt; höchstens einer</translation>
    </message>
    <message>
        <source>Unticked, reports are sent only with PACS &gt; Send report to PACS</source>
        <translation>Nicht angehakt, werden Berichte nur mit PACS &gt; Bericht an das PACS senden gesendet</translation>
    </message>
    <message>
        <source>Changing the PACS settings</source>
        <translation>Das Ändern der PACS-Einstellungen</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PacsWindowHook</name>
    <message>
        <source>PACS query</source>
        <translation>PACS-Abfrage</translation>
    </message>
    <message>
        <source>PAC&amp;S</source>
        <translation>PAC&amp;S</translation>
    </message>
    <message>
        <source>&amp;Query and retrieve</source>
        <translation>&amp;Abfragen und abrufen</translation>
    </message>
    <message>
        <source>Ctrl+Alt+Q</source>
        <translation>Ctrl+Alt+Q</translation>
    </message>
    <message>
        <source>&amp;Send report to PACS</source>
        <translation>Bericht an das PACS &amp;senden</translation>
    </message>
    <message>
        <source>Ctrl+Alt+S</source>
        <translation>Ctrl+Alt+S</translation>
    </message>
    <message>
        <source>Only a signed final report is sent to the PACS.</source>
        <translation>Nur ein signierter endgültiger Bericht wird an das PACS gesendet.</translation>
    </message>
    <message>
        <source>&amp;Retry waiting reports now</source>
        <translation>Wartende Berichte jetzt &amp;erneut senden</translation>
    </message>
    <message>
        <source>Ctrl+Alt+R</source>
        <translation>Ctrl+Alt+R</translation>
    </message>
    <message>
        <source>PACS s&amp;ettings…</source>
        <translation>PACS-Einstellun&amp;gen…</translation>
    </message>
    <message>
        <source>Ctrl+Alt+E</source>
        <translation>Ctrl+Alt+E</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PatientBanner</name>
    <message>
        <source>No study open</source>
        <translation>Keine Untersuchung geöffnet</translation>
    </message>
    <message>
        <source>Unknown study</source>
        <translation>Unbekannte Untersuchung</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>ID %1 · born %2 · sex %3 · study %4 · accession %5</source>
        <translation>ID %1 · geb. %2 · Geschlecht %3 · Untersuchung %4 · Zugangsnummer %5</translation>
    </message>
    <message>
        <source>female</source>
        <translation>weiblich</translation>
    </message>
    <message>
        <source>male</source>
        <translation>männlich</translation>
    </message>
    <message>
        <source>other</source>
        <translation>divers</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::PriorPanel</name>
    <message>
        <source>Prior report…</source>
        <translation>Bericht der Voraufnahme…</translation>
    </message>
    <message>
        <source>The prior&apos;s signed report, read-only (Alt+Shift+P)</source>
        <translation>Der signierte Bericht der Voraufnahme, schreibgeschützt (Alt+Umschalt+P)</translation>
    </message>
    <message>
        <source>Prior image viewer</source>
        <translation>Bildbetrachter der Voraufnahme</translation>
    </message>
    <message>
        <source>Same name and birth date, other patient ID: %1 (open study: %2)</source>
        <translation>Gleicher Name und Geburtsdatum, andere Patienten-ID: %1 (geöffnete Untersuchung: %2)</translation>
    </message>
    <message>
        <source>No prior shown: this study has no date, so which of the patient&apos;s %1 other studies came before is unknown.</source>
        <translation>Keine Voraufnahme angezeigt: diese Untersuchung hat kein Datum, daher ist unbekannt, welche der %1 anderen Untersuchungen des Patienten davor lag.</translation>
    </message>
    <message>
        <source>No prior shown: the patient&apos;s other studies are later or have no date (%1 without a date).</source>
        <translation>Keine Voraufnahme angezeigt: die anderen Untersuchungen des Patienten sind später oder haben kein Datum (%1 ohne Datum).</translation>
    </message>
    <message>
        <source>No prior: this is the patient&apos;s oldest study.</source>
        <translation>Keine Voraufnahme: dies ist die älteste Untersuchung des Patienten.</translation>
    </message>
    <message>
        <source>The prior has no signed report.</source>
        <translation>Die Voraufnahme hat keinen signierten Bericht.</translation>
    </message>
    <message>
        <source>FINAL — signed by %1, %2</source>
        <translation>ENDGÜLTIG — signiert von %1, %2</translation>
    </message>
    <message>
        <source>PRELIMINARY — not final — signed by %1, %2</source>
        <translation>VORLÄUFIG — nicht endgültig — signiert von %1, %2</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>BEFUND</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>BEURTEILUNG</translation>
    </message>
    <message>
        <source>ADDENDUM — %1, %2</source>
        <translation>NACHTRAG — %1, %2</translation>
    </message>
    <message>
        <source>Prior report</source>
        <translation>Bericht der Voraufnahme</translation>
    </message>
    <message>
        <source>Copy to COMPARISON</source>
        <translation>In COMPARISON übernehmen</translation>
    </message>
    <message>
        <source>Puts &quot;COMPARISON: &lt;date&gt; &lt;description&gt;.&quot; first in the open study&apos;s findings</source>
        <translation>Setzt &quot;COMPARISON: &lt;Datum&gt; &lt;Beschreibung&gt;.&quot; an den Anfang des Befunds der geöffneten Untersuchung</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::ReportEditor</name>
    <message>
        <source>report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>addendum</source>
        <translation>Nachtrag</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>BEFUND</translation>
    </message>
    <message>
        <source>Findings</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>BEURTEILUNG</translation>
    </message>
    <message>
        <source>Impression</source>
        <translation>Beurteilung</translation>
    </message>
    <message>
        <source>Addenda</source>
        <translation>Nachträge</translation>
    </message>
    <message>
        <source>Generate draft</source>
        <translation>Entwurf erstellen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Sign preliminary</source>
        <translation>Vorläufig signieren</translation>
    </message>
    <message>
        <source>Sign final</source>
        <translation>Endgültig signieren</translation>
    </message>
    <message>
        <source>Addendum</source>
        <translation>Nachtrag</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versionen</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit-Protokoll</translation>
    </message>
    <message>
        <source>Export SR…</source>
        <translation>SR exportieren…</translation>
    </message>
    <message>
        <source>Draft the findings, impression and chips from the open image (Ctrl+G)</source>
        <translation>Befund, Beurteilung und Chips aus dem geöffneten Bild entwerfen (Strg+G)</translation>
    </message>
    <message>
        <source>Stop the draft being generated; the report is left as it was</source>
        <translation>Den laufenden Entwurf abbrechen; der Bericht bleibt, wie er war</translation>
    </message>
    <message>
        <source>Keep the text and the chips as a new version (Ctrl+S)</source>
        <translation>Text und Chips als neue Version speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Sign the report preliminary (Ctrl+Shift+P)</source>
        <translation>Den Bericht vorläufig signieren (Strg+Umschalt+P)</translation>
    </message>
    <message>
        <source>Sign the report final: it becomes read-only and enters the training queue (Ctrl+Shift+F)</source>
        <translation>Den Bericht endgültig signieren: er wird schreibgeschützt und kommt in die Trainingswarteschlange (Strg+Umschalt+F)</translation>
    </message>
    <message>
        <source>Add an addendum to the final report (Ctrl+Shift+D)</source>
        <translation>Einen Nachtrag zum endgültigen Bericht hinzufügen (Strg+Umschalt+D)</translation>
    </message>
    <message>
        <source>Every version of the report with its differences (Ctrl+Shift+H)</source>
        <translation>Jede Version des Berichts mit ihren Unterschieden (Strg+Umschalt+H)</translation>
    </message>
    <message>
        <source>Who did what to this study, and when (Ctrl+Shift+L)</source>
        <translation>Wer was an dieser Untersuchung getan hat, und wann (Strg+Umschalt+L)</translation>
    </message>
    <message>
        <source>Write the final report as a DICOM SR into the study (Ctrl+Shift+E)</source>
        <translation>Den endgültigen Bericht als DICOM SR in die Untersuchung schreiben (Strg+Umschalt+E)</translation>
    </message>
    <message>
        <source>Restored unsaved text from %1.</source>
        <translation>Ungespeicherter Text vom %1 wiederhergestellt.</translation>
    </message>
    <message>
        <source>%1 left unsaved text on this study (%2); it is not shown here.</source>
        <translation>%1 hat ungespeicherten Text an dieser Untersuchung hinterlassen (%2); er wird hier nicht angezeigt.</translation>
    </message>
    <message>
        <source>Another session</source>
        <translation>Eine andere Sitzung</translation>
    </message>
    <message>
        <source>Model trained on: %1.</source>
        <translation>Modell trainiert mit: %1.</translation>
    </message>
    <message>
        <source>Warning: this may not be a chest radiograph the model knows. Chest radiograph check: %1. %2</source>
        <translation>Warnung: dies ist möglicherweise keine Thoraxaufnahme, die das Modell kennt. Prüfung auf Thoraxaufnahme: %1. %2</translation>
    </message>
    <message>
        <source>Chest radiograph check: %1. %2</source>
        <translation>Prüfung auf Thoraxaufnahme: %1. %2</translation>
    </message>
    <message>
        <source>ADDENDUM (%1, %2): %3</source>
        <translation>NACHTRAG (%1, %2): %3</translation>
    </message>
    <message>
        <source>DRAFT — not signed</source>
        <translation>ENTWURF — nicht signiert</translation>
    </message>
    <message>
        <source>FINAL — signed</source>
        <translation>ENDGÜLTIG — signiert</translation>
    </message>
    <message>
        <source>PRELIMINARY — not final</source>
        <translation>VORLÄUFIG — nicht endgültig</translation>
    </message>
    <message>
        <source>an unknown user</source>
        <translation>ein unbekannter Benutzer</translation>
    </message>
    <message>
        <source>Signed FINAL by %1 on %2</source>
        <translation>ENDGÜLTIG signiert von %1 am %2</translation>
    </message>
    <message>
        <source>Signed PRELIMINARY by %1 on %2 — not final</source>
        <translation>VORLÄUFIG signiert von %1 am %2 — nicht endgültig</translation>
    </message>
    <message>
        <source>No study open</source>
        <translation>Keine Untersuchung geöffnet</translation>
    </message>
    <message>
        <source>  (unsaved changes)</source>
        <translation>  (ungespeicherte Änderungen)</translation>
    </message>
    <message>
        <source>This report is signed PRELIMINARY. A new draft replaces the signed text and returns the report to DRAFT.</source>
        <translation>Dieser Bericht ist VORLÄUFIG signiert. Ein neuer Entwurf ersetzt den signierten Text und setzt den Bericht auf ENTWURF zurück.</translation>
    </message>
    <message>
        <source>A new draft replaces the text in the editor.</source>
        <translation>Ein neuer Entwurf ersetzt den Text im Editor.</translation>
    </message>
    <message>
        <source> The current text is kept as a version, and Undo brings it back. Generate a new draft?</source>
        <translation> Der aktuelle Text wird als Version behalten, und Rückgängig holt ihn zurück. Einen neuen Entwurf erstellen?</translation>
    </message>
    <message>
        <source>Replace the report text</source>
        <translation>Den Berichtstext ersetzen</translation>
    </message>
    <message>
        <source>No draft generated; the text is unchanged.</source>
        <translation>Kein Entwurf erstellt; der Text ist unverändert.</translation>
    </message>
    <message>
        <source>Generating a draft…</source>
        <translation>Entwurf wird erstellt…</translation>
    </message>
    <message>
        <source>Draft generation cancelled.</source>
        <translation>Entwurfserstellung abgebrochen.</translation>
    </message>
    <message>
        <source>Draft generated by the model: check every sentence before signing.</source>
        <translation>Entwurf vom Modell erstellt: jeden Satz vor dem Signieren prüfen.</translation>
    </message>
    <message>
        <source> The previous text is kept in Versions; Undo brings it back.</source>
        <translation> Der vorherige Text ist unter Versionen gespeichert; Rückgängig holt ihn zurück.</translation>
    </message>
    <message>
        <source>Withdraw the preliminary sign-off</source>
        <translation>Die vorläufige Signatur zurückziehen</translation>
    </message>
    <message>
        <source>This report is signed PRELIMINARY. Saving the changes withdraws the sign-off and returns the report to DRAFT; the signed version stays in Versions. Save?</source>
        <translation>Dieser Bericht ist VORLÄUFIG signiert. Das Speichern der Änderungen zieht die Signatur zurück und setzt den Bericht auf ENTWURF zurück; die signierte Version bleibt unter Versionen. Speichern?</translation>
    </message>
    <message>
        <source>Not saved: the report stays PRELIMINARY, and your text stays in the editor.</source>
        <translation>Nicht gespeichert: der Bericht bleibt VORLÄUFIG, und Ihr Text bleibt im Editor.</translation>
    </message>
    <message>
        <source>Saved as a draft; the preliminary sign-off is withdrawn.</source>
        <translation>Als Entwurf gespeichert; die vorläufige Signatur ist zurückgezogen.</translation>
    </message>
    <message>
        <source>Saved.</source>
        <translation>Gespeichert.</translation>
    </message>
    <message>
        <source>Not signed: %1.</source>
        <translation>Nicht signiert: %1.</translation>
    </message>
    <message>
        <source>The chips disagree with the text: %1.</source>
        <translation>Die Chips widersprechen dem Text: %1.</translation>
    </message>
    <message>
        <source>The chips disagree with the text:
%1

The chips are what the training queue records. Sign with the chips as they are?</source>
        <translation>Die Chips widersprechen dem Text:
%1

Die Chips werden in der Trainingswarteschlange gespeichert. Mit den Chips, wie sie sind, signieren?</translation>
    </message>
    <message>
        <source>Chips and text disagree</source>
        <translation>Chips und Text widersprechen sich</translation>
    </message>
    <message>
        <source>Sign this report as FINAL? It can then only be changed by an addendum.</source>
        <translation>Diesen Bericht ENDGÜLTIG signieren? Danach kann er nur noch durch einen Nachtrag geändert werden.</translation>
    </message>
    <message>
        <source>Sign this report as PRELIMINARY?</source>
        <translation>Diesen Bericht VORLÄUFIG signieren?</translation>
    </message>
    <message>
        <source>Sign report</source>
        <translation>Bericht signieren</translation>
    </message>
    <message>
        <source>Signed as final; added to the training queue (nothing trains from it yet).</source>
        <translation>Endgültig signiert; zur Trainingswarteschlange hinzugefügt (noch wird nichts damit trainiert).</translation>
    </message>
    <message>
        <source>Signed as preliminary.</source>
        <translation>Vorläufig signiert.</translation>
    </message>
    <message>
        <source>Addendum to the final report:</source>
        <translation>Nachtrag zum endgültigen Bericht:</translation>
    </message>
    <message>
        <source>Addendum added.</source>
        <translation>Nachtrag hinzugefügt.</translation>
    </message>
    <message>
        <source>Export the final report as DICOM SR</source>
        <translation>Den endgültigen Bericht als DICOM SR exportieren</translation>
    </message>
    <message>
        <source>DICOM files (*.dcm)</source>
        <translation>DICOM-Dateien (*.dcm)</translation>
    </message>
    <message>
        <source>Exported as DICOM SR to %1.</source>
        <translation>Als DICOM SR nach %1 exportiert.</translation>
    </message>
    <message>
        <source>Report versions</source>
        <translation>Berichtsversionen</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Written by</source>
        <translation>Verfasst von</translation>
    </message>
    <message>
        <source>Saved by</source>
        <translation>Gespeichert von</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Addendum: added to the final report</source>
        <translation>Nachtrag: zum endgültigen Bericht hinzugefügt</translation>
    </message>
    <message>
        <source>Changes from v%1</source>
        <translation>Änderungen gegenüber v%1</translation>
    </message>
    <message>
        <source>First version</source>
        <translation>Erste Version</translation>
    </message>
    <message>
        <source>The report cannot be edited now: a final report takes the comparison in an addendum.</source>
        <translation>Der Bericht kann jetzt nicht bearbeitet werden: ein endgültiger Bericht nimmt den Vergleich in einem Nachtrag auf.</translation>
    </message>
    <message>
        <source>Template not inserted: the report is final or a draft is being generated.</source>
        <translation>Vorlage nicht eingefügt: der Bericht ist endgültig, oder ein Entwurf wird erstellt.</translation>
    </message>
    <message>
        <source>Template not inserted: no study is open.</source>
        <translation>Vorlage nicht eingefügt: keine Untersuchung geöffnet.</translation>
    </message>
    <message>
        <source>Inserted the template &quot;%1&quot;; Undo in a section brings its previous text back.</source>
        <translation>Vorlage &quot;%1&quot; eingefügt; Rückgängig in einem Abschnitt holt dessen vorherigen Text zurück.</translation>
    </message>
    <message>
        <source>The chips cannot be changed: no study is open or the report is final.</source>
        <translation>Die Chips können nicht geändert werden: keine Untersuchung geöffnet, oder der Bericht ist endgültig.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::SetupDialog</name>
    <message>
        <source>Create the site</source>
        <translation>Den Standort anlegen</translation>
    </message>
    <message>
        <source>No site exists at %1 yet. Create it: its database (study details, reports, users, audit log) is encrypted with the passphrase, which cannot be recovered if it is lost. Imported DICOM files are kept unencrypted in the site&apos;s images folder.</source>
        <translation>Unter %1 gibt es noch keinen Standort. Legen Sie ihn an: seine Datenbank (Untersuchungsdaten, Berichte, Benutzer, Audit-Protokoll) wird mit der Passphrase verschlüsselt, die bei Verlust nicht wiederhergestellt werden kann. Importierte DICOM-Dateien werden unverschlüsselt im Bilderordner des Standorts gespeichert.</translation>
    </message>
    <message>
        <source>Site name</source>
        <translation>Name des Standorts</translation>
    </message>
    <message>
        <source>Store passphrase</source>
        <translation>Passphrase des Speichers</translation>
    </message>
    <message>
        <source>Passphrase again</source>
        <translation>Passphrase wiederholen</translation>
    </message>
    <message>
        <source>Administrator user name</source>
        <translation>Benutzername des Administrators</translation>
    </message>
    <message>
        <source>Administrator full name</source>
        <translation>Vollständiger Name des Administrators</translation>
    </message>
    <message>
        <source>Administrator password</source>
        <translation>Passwort des Administrators</translation>
    </message>
    <message>
        <source>The passphrase needs at least 8 characters.</source>
        <translation>Die Passphrase braucht mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <source>The two passphrases differ.</source>
        <translation>Die beiden Passphrasen unterscheiden sich.</translation>
    </message>
    <message>
        <source>The administrator also reads and signs reports (radiologist role)</source>
        <translation>Der Administrator befundet und signiert auch Berichte (Rolle Radiologe)</translation>
    </message>
    <message>
        <source>Only radiologists sign reports. Leave this off when the administrator is not a radiologist; radiologists are added later under File, Users.</source>
        <translation>Nur Radiologen signieren Berichte. Nicht ankreuzen, wenn der Administrator kein Radiologe ist; Radiologen werden später unter Datei, Benutzer hinzugefügt.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TemplateChooser</name>
    <message>
        <source>Insert a template</source>
        <translation>Eine Vorlage einfügen</translation>
    </message>
    <message>
        <source>Type to filter by name; Enter inserts</source>
        <translation>Tippen, um nach Namen zu filtern; Eingabe fügt ein</translation>
    </message>
    <message>
        <source>No template matches.</source>
        <translation>Keine Vorlage passt.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TemplateDialog</name>
    <message>
        <source>Report templates</source>
        <translation>Berichtsvorlagen</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>FINDINGS</source>
        <translation>BEFUND</translation>
    </message>
    <message>
        <source>IMPRESSION</source>
        <translation>BEURTEILUNG</translation>
    </message>
    <message>
        <source>Chips</source>
        <translation>Chips</translation>
    </message>
    <message>
        <source>Take from the open report</source>
        <translation>Aus dem geöffneten Bericht übernehmen</translation>
    </message>
    <message>
        <source>Fills the text and the chips from the report being edited</source>
        <translation>Füllt Text und Chips aus dem Bericht, der gerade bearbeitet wird</translation>
    </message>
    <message>
        <source>No chips</source>
        <translation>Keine Chips</translation>
    </message>
    <message>
        <source>Leave every chip blank in the template</source>
        <translation>Alle Chips in der Vorlage leer lassen</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Saves the selected template; a new name renames it</source>
        <translation>Speichert die ausgewählte Vorlage; ein neuer Name benennt sie um</translation>
    </message>
    <message>
        <source>Add as new</source>
        <translation>Als neue hinzufügen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Save the fields as a new template</source>
        <translation>Die Felder als neue Vorlage speichern</translation>
    </message>
    <message>
        <source>Delete the selected template</source>
        <translation>Die ausgewählte Vorlage löschen</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TrainingStatusWidget</name>
    <message>
        <source>Cancel training</source>
        <translation>Training abbrechen</translation>
    </message>
    <message>
        <source>Stop the background training; its signed reports wait for the next run</source>
        <translation>Das Training im Hintergrund abbrechen; seine signierten Berichte warten auf den nächsten Lauf</translation>
    </message>
    <message>
        <source>Training the site&apos;s adapters…</source>
        <translation>Die Adapter des Standorts werden trainiert…</translation>
    </message>
    <message>
        <source>Cancelling training…</source>
        <translation>Training wird abgebrochen…</translation>
    </message>
    <message numerus="yes">
        <source>Resuming training on %n signed report(s)…</source>
        <translation>
            <numerusform>Training mit %n signierten Bericht wird fortgesetzt…</numerusform>
            <numerusform>Training mit %n signierten Berichten wird fortgesetzt…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training on %n signed report(s)…</source>
        <translation>
            <numerusform>Training mit %n signierten Bericht…</numerusform>
            <numerusform>Training mit %n signierten Berichten…</numerusform>
        </translation>
    </message>
    <message>
        <source>Training: step %1 of %2, about %3 left</source>
        <translation>Training: Schritt %1 von %2, noch etwa %3</translation>
    </message>
    <message>
        <source>Training paused while a draft is generated</source>
        <translation>Training pausiert, während ein Entwurf erstellt wird</translation>
    </message>
    <message>
        <source>Training done: a new adapter version</source>
        <translation>Training abgeschlossen: eine neue Adapterversion</translation>
    </message>
    <message>
        <source>Training stopped</source>
        <translation>Training gestoppt</translation>
    </message>
    <message numerus="yes">
        <source>Quality gate: checking v%1 on %n held-back report(s)…</source>
        <translation>
            <numerusform>Qualitätsprüfung: v%1 wird an %n zurückgehaltenem Befund geprüft…</numerusform>
            <numerusform>Qualitätsprüfung: v%1 wird an %n zurückgehaltenen Befunden geprüft…</numerusform>
        </translation>
    </message>
    <message>
        <source>New adapter version v%1 in use: the quality gate accepted it</source>
        <translation>Neue Adapterversion v%1 in Verwendung: die Qualitätsprüfung hat sie angenommen</translation>
    </message>
    <message>
        <source>New adapter version v%1 not used: %2</source>
        <translation>Neue Adapterversion v%1 nicht verwendet: %2</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::UnlockDialog</name>
    <message>
        <source>Unlock the site</source>
        <translation>Den Standort entsperren</translation>
    </message>
    <message>
        <source>The database of the site at %1 is encrypted.</source>
        <translation>Die Datenbank des Standorts unter %1 ist verschlüsselt.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Wrong passphrase.</source>
        <translation>Falsche Passphrase.</translation>
    </message>
    <message>
        <source>Try again.</source>
        <translation>Erneut versuchen.</translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::UsersDialog</name>
    <message>
        <source>Users</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Full name</source>
        <translation>Vollständiger Name</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Add user</source>
        <translation>Benutzer hinzufügen</translation>
    </message>
    <message>
        <source>radiologist (signs reports)</source>
        <translation>Radiologe (signiert Berichte)</translation>
    </message>
    <message>
        <source>admin (users, PACS, audit export, federation)</source>
        <translation>Administrator (Benutzer, PACS, Audit-Export, Föderation)</translation>
    </message>
    <message>
        <source>Roles</source>
        <translation>Rollen</translation>
    </message>
    <message>
        <source>Set roles of the selected user</source>
        <translation>Rollen des ausgewählten Benutzers festlegen</translation>
    </message>
    <message>
        <source>Select the user whose roles to set.</source>
        <translation>Den Benutzer auswählen, dessen Rollen festgelegt werden sollen.</translation>
    </message>
    <message>
        <source>Add a local user with the name, password and roles above</source>
        <translation>Einen lokalen Benutzer mit Name, Passwort und Rollen von oben hinzufügen</translation>
    </message>
    <message>
        <source>Give the user selected in the list the roles ticked above</source>
        <translation>Dem in der Liste ausgewählten Benutzer die oben angekreuzten Rollen geben</translation>
    </message>
</context>
</TS>
