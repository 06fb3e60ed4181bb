<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>QObject</name>
    <message numerus="yes">
        <source>Too many failed attempts: wait %n s before trying again.</source>
        <translation>
            <numerusform>Too many failed attempts: wait %n s before trying again.</numerusform>
            <numerusform>Too many failed attempts: wait %n s before trying again.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::AuditLogDialog</name>
    <message numerus="yes">
        <source>%n entries</source>
        <translation>
            <numerusform>%n entry</numerusform>
            <numerusform>%n entries</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Exported %n entries to %1.</source>
        <translation>
            <numerusform>Exported %n entry to %1.</numerusform>
            <numerusform>Exported %n entries to %1.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fedmrg::ui::TrainingStatusWidget</name>
    <message numerus="yes">
        <source>Resuming training on %n signed report(s)…</source>
        <translation>
            <numerusform>Resuming training on %n signed report…</numerusform>
            <numerusform>Resuming training on %n signed reports…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Training on %n signed report(s)…</source>
        <translation>
            <numerusform>Training on %n signed report…</numerusform>
            <numerusform>Training on %n signed reports…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Quality gate: checking v%1 on %n held-back report(s)…</source>
        <translation>
            <numerusform>Quality gate: checking v%1 on %n held-back report…</numerusform>
            <numerusform>Quality gate: checking v%1 on %n held-back reports…</numerusform>
        </translation>
    </message>
</context>
</TS>
